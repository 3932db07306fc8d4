export { main, type MainOptions } from './cli/main';
export type { CliContext, Command, OutputStream } from './cli/context';
export { CliError, InputError, UsageError } from './cli/errors';
export { createModeRegistry } from './modes/registry';
export { runPipeline, DEFAULT_PIPELINE, DEFAULT_PIPELINE_NAME, MODE_DEFAULTS, PipelineError, type RunPipelineOptions, type RunPipelineResult, type SummaryJson } from './pipeline';
export { loadConfig, withCustomModes, ConfigError, ConfigLoadError, type SparcConfig } from './config';
