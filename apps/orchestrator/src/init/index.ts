export { InitError } from './errors';
export { initWorkspace, InitFailedError, type InitOptions, type InitResult } from './init-workspace';
export { assertProjectName } from './project-name';
export { projectFiles, SWARM_PLAN_FILE, type TemplateFile } from './template';
