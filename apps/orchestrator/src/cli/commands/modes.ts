import type { ModeRegistry } from '@sparc/batch-core';
import { parseCommandArgs } from '../args';
import type { CliContext, Command } from '../context';
import { EXIT_OK } from '../errors';
import { loadBuiltInModes } from '../lazy';
import { printJson, renderTable } from '../output';

const HELP = `Usage: sparc modes [--json]

Lists the registered modes: the built-in ones and the custom ones, with their subcommands.

Options:
  --json       print the list as one JSON array on stdout
  -h, --help   show this help
`;

/** The injected registry (embedding, tests) or the built-in one. */
export function modeRegistry(ctx: CliContext): ModeRegistry {
  return ctx.modes ?? loadBuiltInModes().createModeRegistry();
}

export const modesCommand: Command = {
  name: 'modes',
  synopsis: 'modes',
  summary: 'list the built-in and custom modes',
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs(argv, { command: 'sparc modes', flags: { json: { type: 'boolean' } }, positionals: { min: 0, max: 0, names: 'no arguments' } });
    if (args.help) {
      ctx.stdout.write(HELP);
      return EXIT_OK;
    }
    const modes = modeRegistry(ctx).list();
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
