export { main, type MainOptions } from './cli/main';
export type { CliContext, Command, OutputStream } from './cli/context';
export { CliError, InputError, UsageError } from './cli/errors';
export { createModeRegistry } from './modes/registry';
