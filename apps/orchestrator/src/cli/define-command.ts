import { parseCommandArgs, type ArgsSpec, type ParsedArgs } from './args';
import type { CliContext, Command } from './context';
import { EXIT_OK } from './errors';

export interface CommandSpec {
  name: string;
  synopsis: string;
  summary: string;
  help: string;
  args: ArgsSpec;
  /** Runs with the parsed arguments; `--help` never gets here. Resolves to the exit code. */
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

/** A command with fixed flags: its arguments parsed and checked, and `--help` answered, before `run`. */
export function defineCommand(spec: CommandSpec): Command {
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    summary: spec.summary,
    help: spec.help,
    async run(argv, ctx) {
      const args = parseCommandArgs(argv, spec.args);
      if (args.help) {
        ctx.stdout.write(spec.help);
        return EXIT_OK;
      }
      return spec.run(args, ctx);
    },
  };
}
