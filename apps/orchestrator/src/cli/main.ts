/*
 * Entry point of the `sparc` CLI. Nothing here (or in what it imports at the top) loads the
 * engine: commands load it on first use, so `sparc --help` starts in a few tens of milliseconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { batchCommand } from './commands/batch';
import { demoCommand } from './commands/demo';
import { createHelpCommand, formatMainHelp, unknownCommand } from './commands/help';
import { initCommand } from './commands/init';
import { mcpCommand } from './commands/mcp';
import { modeCommand, runModeCli } from './commands/mode';
import { modeRegistry, modesCommand, scanDirFlag, withWorkspaceModes } from './commands/modes';
import { perfCommand } from './commands/perf';
import { runCommand } from './commands/run';
import { shortcutCommands } from './commands/shortcuts';
import { swarmCommand } from './commands/swarm';
import type { CliContext, Command, MainOptions } from './context';
import { CliError, describeValidation, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { CONFIG_FILE_NAMES } from '../config/file-names';
import { workspaceDir } from './input';
import { loadedCore } from './lazy';
import { didYouMean } from './suggest';

export type { MainOptions } from './context';

const MODE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
function hasConfigFile(dir: string): boolean {
  return CONFIG_FILE_NAMES.some((name) => existsSync(path.join(dir, name)));
}

const COMMANDS: readonly Command[] = [runCommand, batchCommand, perfCommand, modesCommand, modeCommand, ...shortcutCommands, initCommand, mcpCommand, swarmCommand, demoCommand, createHelpCommand(() => COMMANDS)];

function version(): string {
  // package.json sits two levels up from both src/cli and dist/cli.
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

async function dispatch(argv: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(formatMainHelp(COMMANDS));
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h') {
    ctx.stdout.write(formatMainHelp(COMMANDS));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    ctx.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  if (first.startsWith('-')) {
    throw new UsageError(`unknown option "${first}"${didYouMean(first, ['--help', '--version'])}; options go after the command (sparc COMMAND --help)`);
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command) return command.run(rest, ctx);
  // A custom mode is a command of its own: `sparc my-mode` = `sparc mode my-mode`. Only a workspace
  // with a config can have one, and only then is the engine worth loading for an unknown command.
  if (MODE_NAME.test(first) && hasConfigFile(workspaceDir(scanDirFlag(rest), ctx))) {
    const withModes = await withWorkspaceModes(ctx, scanDirFlag(rest));
    // runModeCli adds the workspace's modes itself, so it gets the context without them.
    if (modeRegistry(withModes).has(first)) return runModeCli([first, ...rest], ctx, { invokedAs: first, dataAtTopLevel: true });
  }
  throw unknownCommand(first, COMMANDS);
}

function report(error: unknown, ctx: CliContext, argv: string[]): number {
  const command = COMMANDS.find((c) => c.name === argv[0]);
  const hint = command ? `run "sparc ${command.name} --help" for usage` : '';
  if (error instanceof CliError) {
    ctx.stderr.write(`sparc: ${error.message}\n${error instanceof UsageError && hint ? `${hint}\n` : ''}`);
    return error.exitCode;
  }
  const core = loadedCore();
  if (core && error instanceof core.ValidationError) {
    ctx.stderr.write(`sparc: ${describeValidation(error.message, error.issues)}\n`);
    return EXIT_USAGE;
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? `${(error as { code: string }).code}: ` : '';
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`sparc: ${code}${message}\n`);
  if (process.env.SPARC_DEBUG && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  return EXIT_FAILED;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code.
 * Never calls `process.exit`, so output is flushed and the caller decides.
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const ctx: CliContext = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    stdin: options.stdin ?? process.stdin,
    cwd: options.cwd ?? process.cwd(),
    ...(options.modes ? { modes: options.modes } : {}),
  };
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
    return report(error, ctx, argv);
  }
}
