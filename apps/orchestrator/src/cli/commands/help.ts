import { parseCommandArgs } from '../args';
import type { Command } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { renderTable } from '../output';
import { didYouMean } from '../suggest';

export function formatMainHelp(commands: readonly Command[]): string {
  const rows = commands.map((command) => [command.synopsis, command.summary]);
  return `sparc: concurrent batch operations and SPARC modes

Usage: sparc COMMAND [options]

Commands:
${renderTable(rows, '  ')}

Options:
  -h, --help       show this help
  -V, --version    print the version

Run "sparc COMMAND --help" (or "sparc help COMMAND") for a command's options.
Exit codes: 0 success, 1 failed work, 2 usage or validation error.
`;
}

const HELP = `Usage: sparc help [COMMAND]

Shows the list of commands, or the help of one command.
`;

export function unknownCommand(name: string, commands: readonly Command[]): UsageError {
  return new UsageError(`unknown command "${name}"${didYouMean(name, commands.map((c) => c.name))}; run "sparc --help" for the list`);
}

/** `sparc help [COMMAND]`; gets the command list from its caller to avoid an import cycle. */
export function createHelpCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'help',
    synopsis: 'help [COMMAND]',
    summary: 'show help for a command',
    help: HELP,
    async run(argv, ctx) {
      const args = parseCommandArgs(argv, { command: 'sparc help', flags: {}, positionals: { min: 0, max: 1, names: 'at most one COMMAND' } });
      if (args.help) {
        ctx.stdout.write(HELP);
        return EXIT_OK;
      }
      const name = args.positionals[0];
      if (name === undefined) {
        ctx.stdout.write(formatMainHelp(commands()));
        return EXIT_OK;
      }
      const command = commands().find((c) => c.name === name);
      if (!command) throw unknownCommand(name, commands());
      ctx.stdout.write(command.help);
      return EXIT_OK;
    },
  };
}
