import { promises as fsp } from 'node:fs';
import type { BatchResult } from '@sparc/batch-core';
import { positiveIntegerFlag, type ArgsSpec } from '../args';
import type { CliContext } from '../context';
import { defineCommand } from '../define-command';
import { EXIT_FAILED, EXIT_OK, invalidBatch, UsageError } from '../errors';
import { readBatchFile, workspaceDir } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted, loadCore } from '../lazy';
import { attachProgress, BatchProgress, printJson } from '../output';
import { didYouMean } from '../suggest';

const SUBCOMMANDS = ['summary', 'trends', 'compare', 'clear'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const ARGS: ArgsSpec = {
  command: 'sparc perf',
  flags: {
    dir: { type: 'string', valueName: 'DIR' },
    json: { type: 'boolean' },
    concurrency: { type: 'string', valueName: 'N' },
  },
  positionals: { min: 0, max: 2, names: 'a subcommand' },
};

const HELP = `Usage: sparc perf [summary|trends|compare FILE|clear] [--dir DIR] [--json]

Performance of the batches run in a workspace, from the runs recorded in .sparc/metrics.jsonl.

Subcommands:
  summary        runs, operations, wall time, measured speed-up, success rate, recommendations (default)
  trends         how recent runs compare with earlier ones
  compare FILE   run the batch FILE (or - for stdin) at its concurrency and at 1, print the measured
                 ratio; both runs really happen (mind batches that change files)
  clear          delete the recorded runs and print how many were removed

Options:
  --dir DIR          workspace root (default: current directory)
  --json             print one JSON document on stdout
  --concurrency N    compare: the concurrency to measure against 1 (default: the batch's own, else 6)
  -h, --help         show this help

Exit codes: 0 success, 1 a compared batch had failures, 2 invalid arguments or batch file.
`;

function subcommandOf(positionals: string[]): { sub: Subcommand; file?: string } {
  const [first = 'summary', file] = positionals;
  if (!(SUBCOMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown perf subcommand "${first}" (known: ${SUBCOMMANDS.join(', ')})${didYouMean(first, SUBCOMMANDS)}`);
  }
  const sub = first as Subcommand;
  if (sub === 'compare' && file === undefined) throw new UsageError('"sparc perf compare" needs a batch FILE (or - for stdin)');
  if (sub !== 'compare' && file !== undefined) throw new UsageError(`unexpected argument "${file}" for "sparc perf ${sub}"`);
  return { sub, file };
}

async function assertDirectory(dir: string): Promise<void> {
  const stat = await fsp.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`--dir "${dir}" is not a directory`);
}

async function compare(file: string, concurrencyFlag: number | undefined, dir: string | undefined, ctx: CliContext, json: boolean): Promise<number> {
  const core = loadCore();
  const input = await readBatchFile(file, ctx);
  const workspace = await core.Workspace.open(workspaceDir(dir, ctx));
  const monitor = new core.PerformanceMonitor(workspace.root);
  // Recorded here, as kind "compare", so a comparison's sequential run does not skew batch statistics.
  const engine = new core.BatchEngine({ workspace, monitor: false });
  const detach = attachProgress(engine.events, new BatchProgress(ctx.stderr));
  try {
    let concurrency: number;
    try {
      concurrency = concurrencyFlag ?? engine.validate(input.batch).concurrency;
    } catch (error) {
      if (error instanceof core.ValidationError) {
        throw invalidBatch(input.source, error);
      }
      throw error;
    }
    if (concurrency < 2) {
      throw new UsageError(`compare measures a concurrency of 2 or more against 1, and ${input.source} runs at ${concurrency}: pass --concurrency N`);
    }
    const runs: BatchResult[] = [];
    const comparison = await withInterrupt(ctx.stderr, interrupted, (signal) =>
      core.compareConcurrency(async (c) => {
        const result = await engine.run(input.batch, { signal, concurrency: c, record: false });
        runs.push(result);
        await monitor.record(result.metrics, { kind: 'compare' });
        return result;
      }, concurrency),
    );
    if (json) printJson(ctx.stdout, comparison);
    else ctx.stdout.write(`${core.formatComparison(comparison)}\n`);
    return runs.every((r) => r.status === 'succeeded') ? EXIT_OK : EXIT_FAILED;
  } finally {
    detach();
    await engine.close();
  }
}

export const perfCommand = defineCommand({
  name: 'perf',
  synopsis: 'perf [SUBCOMMAND]',
  summary: 'recorded batch performance: summary, trends, compare FILE, clear',
  help: HELP,
  args: ARGS,
  async run(args, ctx) {
    const { sub, file } = subcommandOf(args.positionals);
    const concurrency = positiveIntegerFlag('concurrency', args.string('concurrency'));
    if (concurrency !== undefined && sub !== 'compare') throw new UsageError('--concurrency only applies to "sparc perf compare"');
    const json = args.boolean('json');
    const dir = workspaceDir(args.string('dir'), ctx);
    await assertDirectory(dir);
    if (sub === 'compare') return compare(file as string, concurrency, args.string('dir'), ctx, json);

    const core = loadCore();
    const monitor = new core.PerformanceMonitor(dir);
    if (sub === 'summary') {
      const summary = await monitor.summary();
      const recommendations = summary.runs > 0 ? await monitor.recommendations() : [];
      if (json) printJson(ctx.stdout, { ...summary, recommendations });
      else ctx.stdout.write(`${core.formatSummary(summary)}\n${summary.runs > 0 ? `\n${core.formatRecommendations(recommendations)}\n` : ''}`);
    } else if (sub === 'trends') {
      const trends = await monitor.trends();
      if (json) printJson(ctx.stdout, trends);
      else ctx.stdout.write(`${core.formatTrends(trends)}\n`);
    } else {
      const removed = await monitor.clear();
      if (json) printJson(ctx.stdout, { removed });
      else ctx.stdout.write(`removed ${removed} recorded run${removed === 1 ? '' : 's'}\n`);
    }
    return EXIT_OK;
  },
});
