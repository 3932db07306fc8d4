import type * as Demo from '../../demo';
import { type ArgsSpec } from '../args';
import type { CliContext } from '../context';
import { defineCommand } from '../define-command';
import { EXIT_FAILED, EXIT_OK } from '../errors';
import { workspaceDir } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted } from '../lazy';
import { formatMs, printJson, renderTable, StatusLine } from '../output';

const ARGS: ArgsSpec = {
  command: 'sparc demo',
  flags: { dir: { type: 'string', valueName: 'PARENT' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0, names: 'no arguments' },
};

const HELP = `Usage: sparc demo [--dir PARENT] [--json]

Runs the whole SPARC pipeline on the bundled example (a small bookshop HTTP service with two
entities and a service manifest), in a new folder under PARENT (default: the OS temp folder):
  1. tests first: the spec's acceptance tests are written and run before any code exists (red);
  2. the SPARC pipeline: spec → architect → code ∥ tdd → debug ∥ security-review ∥ optimization
     → integration: the code is generated, every suite passes (green), the service starts and
     passes its contract checks.
The last line printed is the absolute path of the pipeline's report folder.

Options:
  --dir PARENT   where to create the demo workspace (default: the OS temp folder)
  --json         print { dir, red, runId, status, reportDir, stages } as one JSON document
  -h, --help     show this help

Exit codes: 0 the tests went from red to green and the pipeline passed, 1 otherwise.
`;

function loadDemo(): typeof Demo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use, so `sparc --help` stays fast
  return require('../../demo') as typeof Demo;
}

const SYMBOL = { passed: '✔', warning: '⚠', failed: '✖', skipped: '○' } as const;

function printHuman(result: Demo.DemoResult, ctx: CliContext): void {
  const { red, pipeline } = result;
  ctx.stdout.write(`workspace: ${result.dir}\n\n`);
  ctx.stdout.write(`tests first (red): ${red.failing.length} acceptance suite(s) fail before the code exists\n`);
  for (const file of red.failing) ctx.stdout.write(`  ✖ ${file}\n`);
  ctx.stdout.write('\nSPARC pipeline:\n');
  const rows: string[][] = [];
  for (const stage of pipeline.summary.stages) {
    const sum = stage.modes.reduce((total, m) => total + m.durationMs, 0);
    const parallel = stage.modes.length > 1 && stage.status !== 'skipped' ? ` (modes sum ${formatMs(sum)})` : '';
    rows.push([`${SYMBOL[stage.status]} ${stage.name}`, stage.status === 'skipped' ? '' : `${formatMs(stage.durationMs)}${parallel}`, stage.modes.map((m) => `${SYMBOL[m.status]} ${m.name}`).join('  ')]);
  }
  ctx.stdout.write(`${renderTable(rows, '  ')}\n\n`);
  if (result.green) ctx.stdout.write(`tests after the code (green): ${result.green}\n`);
  const verdict = result.ok ? 'tests went from red to green; the pipeline passed' : `demo failed: ${red.failing.length === 0 ? 'the tests were not red before the code existed' : `the pipeline ${pipeline.status}`}`;
  ctx.stdout.write(`${result.ok ? '✔' : '✖'} ${verdict}\nreport:\n${pipeline.reportDir}\n`);
}

export const demoCommand = defineCommand({
  name: 'demo',
  synopsis: 'demo',
  summary: 'run the whole SPARC pipeline on the bundled example, in a temp folder',
  help: HELP,
  args: ARGS,
  async run(args, ctx) {
    const parent = args.string('dir') !== undefined ? workspaceDir(args.string('dir'), ctx) : undefined;
    const status = new StatusLine(ctx.stderr);
    let result: Demo.DemoResult;
    try {
      result = await withInterrupt(ctx.stderr, interrupted, (signal) =>
        loadDemo().runDemo({ ...(parent ? { parent } : {}), signal, progress: (message) => status.set(`demo: ${message}`) }),
      );
    } finally {
      status.clear();
    }
    if (args.boolean('json')) {
      const { pipeline } = result;
      printJson(ctx.stdout, { dir: result.dir, ok: result.ok, red: result.red, green: result.green ?? null, runId: pipeline.runId, status: pipeline.status, reportDir: pipeline.reportDir, stages: pipeline.summary.stages });
    } else {
      printHuman(result, ctx);
    }
    return result.ok ? EXIT_OK : EXIT_FAILED;
  },
});
