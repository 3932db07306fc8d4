export { main, type MainOptions } from './cli/main';
export type { CliContext, Command, OutputStream } from './cli/context';
export { UsageError, CliError } from './cli/errors';
