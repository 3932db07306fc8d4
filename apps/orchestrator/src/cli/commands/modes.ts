import { parseArgs } from 'node:util';
import type { ModeRegistry } from '@sparc/batch-core';
import { parseCommandArgs } from '../args';
import type { CliContext, Command } from '../context';
import { EXIT_OK } from '../errors';
import { workspaceDir } from '../input';
import { loadBuiltInModes, loadConfigModule, loadCore } from '../lazy';
import { printJson, renderTable } from '../output';

const HELP = `Usage: sparc modes [--dir DIR] [--json]

Lists the registered modes: the built-in ones and the custom ones of the workspace's
sparc.config.{js,cjs,mjs,json}, with their subcommands.

Options:
  --dir DIR    workspace whose config to read (default: current directory)
  --json       print the list as one JSON array on stdout
  -h, --help   show this help
`;

/** The injected registry (embedding, tests) or the built-in one. */
export function modeRegistry(ctx: CliContext): ModeRegistry {
  return ctx.modes ?? loadBuiltInModes().createModeRegistry();
}

/** `--dir` from a command line read leniently, before the command knows the rest of its flags. */
export function scanDirFlag(argv: string[]): string | undefined {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.dir === 'string' ? values.dir : undefined;
}

/**
 * `ctx` whose registry also holds the custom modes of the workspace's config, so every command
 * that reads `modeRegistry(ctx)` sees them. A config that does not load or validate is an error
 * (exit 2) naming the file and the field.
 */
export async function withWorkspaceModes(ctx: CliContext, dir: string | undefined): Promise<CliContext> {
  // Loaded first so that config errors are recognised as validation errors (exit 2).
  loadCore();
  const { loadConfig, withCustomModes } = loadConfigModule();
  const config = await loadConfig(workspaceDir(dir, ctx));
  if (config.modes.length === 0) return ctx;
  return { ...ctx, modes: withCustomModes(modeRegistry(ctx), config) };
}

export const modesCommand: Command = {
  name: 'modes',
  synopsis: 'modes',
  summary: 'list the built-in and custom modes',
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs(argv, { command: 'sparc modes', flags: { json: { type: 'boolean' }, dir: { type: 'string', valueName: 'DIR' } }, positionals: { min: 0, max: 0, names: 'no arguments' } });
    if (args.help) {
      ctx.stdout.write(HELP);
      return EXIT_OK;
    }
    const modes = modeRegistry(await withWorkspaceModes(ctx, args.string('dir'))).list();
    if (args.boolean('json')) {
      printJson(ctx.stdout, modes);
      return EXIT_OK;
    }
    if (modes.length === 0) {
      ctx.stdout.write('no modes registered\n');
      return EXIT_OK;
    }
    const rows = modes.map((m) => [m.name, m.source, m.summary, m.commands.length > 0 ? `commands: ${m.commands.join(', ')}` : '']);
    ctx.stdout.write(`${renderTable(rows)}\n`);
    return EXIT_OK;
  },
};
