export { CONFIG_FILE_NAMES, findConfigFile, loadConfig, parseConfig, type SparcConfig } from './load';
export { withCustomModes } from './registry';
export { ConfigError, ConfigLoadError } from './errors';
export { toModeDefinition } from './custom-modes';
export type { ModeInvocationConfig, PipelineConfig, StageConfig, StageEntryConfig, StepConfig } from './schema';
