import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as StdioServer from '../../mcp/stdio';
import { type ArgsSpec } from '../args';
import { defineCommand } from '../define-command';
import { EXIT_OK, UsageError } from '../errors';
import { workspaceDir } from '../input';

const ARGS: ArgsSpec = {
  command: 'sparc mcp',
  flags: {
    dir: { type: 'string', valueName: 'DIR' },
    'allow-exec': { type: 'string', multiple: true, valueName: 'CMD,...' },
  },
  positionals: { min: 0, max: 0, names: 'no arguments' },
};

const HELP = `Usage: sparc mcp [--dir DIR] [--allow-exec CMD,...]

Serves the Model Context Protocol on stdin/stdout for AI coding agents. Tools:
  batch_execute        run a batch of operations (one call, many operations)
  project_init_batch   create a new workspace, like "sparc init"
  batch_performance    recorded performance: summary, trends, compare, clear
  sparc_list_modes     the modes and the JSON Schema of their options
  sparc_run_mode       run one mode
  sparc_run_pipeline   run a SPARC pipeline

Options:
  --dir DIR              workspace every tool works in; paths cannot leave it (default: current directory)
  --allow-exec CMD,...   commands "exec" operations may run, e.g. --allow-exec node,npm,git (repeatable);
                         without it every exec is refused. "cpu" operations need "node"; shell: true
                         needs '*', which allows any command
  -h, --help             show this help

stdout carries only the protocol; logs go to stderr. The server stops when the client closes stdin.
`;

/** Commands from `--allow-exec a,b --allow-exec c`. */
function allowList(values: string[]): string[] {
  const commands = values.flatMap((v) => v.split(',')).map((c) => c.trim());
  if (values.length > 0 && commands.every((c) => c.length === 0)) throw new UsageError('--allow-exec needs at least one command, e.g. --allow-exec node,npm');
  return commands.filter((c) => c.length > 0);
}

function version(): string {
  // package.json sits three levels up from both src/cli/commands and dist/cli/commands.
  return (JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export const mcpCommand = defineCommand({
  name: 'mcp',
  synopsis: 'mcp',
  summary: 'MCP server on stdio: batches, modes and pipelines for AI agents',
  help: HELP,
  args: ARGS,
  async run(args, ctx) {
    const allowExec = allowList(args.list('allow-exec'));
    const dir = workspaceDir(args.string('dir'), ctx);
    const stat = await fsp.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) throw new UsageError(`--dir "${dir}" is not a directory`);
    const injected = ctx.modes;
    // The SDK loads here, never for `sparc --help`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see src/cli/lazy.ts
    const { serveStdio } = require('../../mcp/stdio') as typeof StdioServer;
    await serveStdio({
      dir,
      allowExec,
      version: version(),
      // Custom modes come from the workspace's sparc.config.*, which the server reads on every call.
      ...(injected ? { modes: () => injected } : {}),
      log: (line) => ctx.stderr.write(`sparc mcp: ${line}\n`),
    });
    return EXIT_OK;
  },
});
