// @sparc/code — the public API.

export { codeMode } from './lib/mode/code-mode';
export { CODE_RULES } from './lib/mode/results';
export { generateData, listData, modifyData, transformData, type GenerateData, type ListData, type ModifyData, type TransformData } from './lib/mode/data';
export { generateOptions, modifyOptions, rootOptions, transformOptions } from './lib/mode/options';

// Generators
export type { GeneratedFile, GeneratorOutput } from './lib/generate/types';
export { BUILTIN_GENERATORS, listGenerators, planGeneration, type GenerateInput, type Generation, type GeneratorListing } from './lib/generate/generators';
export { renderEntityFiles, renderProjectFiles } from './lib/generate/crud/crud';
export { moduleGenerator, type ModuleInput } from './lib/generate/builtin/module';
export { packageGenerator, type PackageInput } from './lib/generate/builtin/package';
export { listUserTemplates, loadUserTemplate, TEMPLATES_DIR, type UserTemplate } from './lib/templates/load-template';
export { renderUserTemplate, validateVariables } from './lib/templates/render-template';

// The generation flow
export { applyGeneratedFiles, type ApplyOptions, type ApplyResult, type ConflictPolicy, type FileAction, type FileOutcome } from './lib/flow/apply-files';
export { findWorkspacePrettier, formatWithWorkspacePrettier, type FormatReport } from './lib/flow/prettier';

// Codemods
export { modifyFilesMatching, type ModifyOptions, type ModifyResult } from './lib/codemod/modify';
export { transformFilesMatching, type TransformFailure, type TransformOptions, type TransformResult } from './lib/codemod/transform';
export { DEFAULT_IGNORES, selectFiles, type SelectedFiles, type SourceFile } from './lib/codemod/select-files';

export {
  DuplicateOutputError,
  GenerateOptionsError,
  TemplateError,
  TemplateVariablesError,
  TransformModuleError,
  UnknownGeneratorError,
  WorkerModuleMissingError,
} from './lib/errors';
