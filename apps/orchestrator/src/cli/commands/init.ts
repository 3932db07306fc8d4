import * as path from 'node:path';
import type * as Init from '../../init';
import { type ArgsSpec } from '../args';
import { defineCommand } from '../define-command';
import { EXIT_OK, UsageError } from '../errors';
import { printJson } from '../output';

const ARGS: ArgsSpec = {
  command: 'sparc init',
  flags: {
    dir: { type: 'string', valueName: 'DIR' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1, names: 'a project NAME' },
};

const HELP = `Usage: sparc init NAME [--dir DIR] [--json]

Creates a new workspace: package.json, tsconfig.json, jest.config.js, src/ with a module and its
test, sparc.spec.json (an entity, a service, a requirement), sparc.config.json (a "check" pipeline)
and a swarm plan, sparc.swarm.json. Every file is written in one atomic batch: all of them or none.

Options:
  --dir DIR    folder of the new workspace, created if missing; must be empty (default: ./NAME)
  --json       print the result (root, files, batch status) as one JSON document
  -h, --help   show this help

Exit codes: 0 created, 1 the batch failed (nothing written), 2 bad NAME or a folder that is not empty.
`;

export const initCommand = defineCommand({
  name: 'init',
  synopsis: 'init NAME',
  summary: 'create a new workspace in one atomic batch (project_init_batch)',
  help: HELP,
  args: ARGS,
  async run(args, ctx) {
    const name = args.positionals[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the engine loads on first use, see src/cli/lazy.ts
    const init = require('../../init') as typeof Init;
    const root = path.resolve(ctx.cwd, args.string('dir') ?? name);
    let result: Init.InitResult;
    try {
      result = await init.initWorkspace({ name, root });
    } catch (error) {
      if (error instanceof init.InitError) throw new UsageError(error.message);
      throw error;
    }
    if (args.boolean('json')) {
      printJson(ctx.stdout, result);
      return EXIT_OK;
    }
    const shown = path.relative(ctx.cwd, result.root) || '.';
    ctx.stdout.write(
      `created ${result.name} in ${result.root} (${result.files.length} files, one atomic batch):\n` +
        `${result.files.map((f) => `  ${f}`).join('\n')}\n\n` +
        `next: cd ${shown.includes(' ') ? JSON.stringify(shown) : shown} && npm install && npm test, then "sparc run"\n`,
    );
    return EXIT_OK;
  },
});
