import type { BatchResult } from '@sparc/batch-core';
import { positiveIntegerFlag, type ArgsSpec, type ParsedArgs } from '../args';
import type { CliContext } from '../context';
import { defineCommand } from '../define-command';
import { EXIT_FAILED, EXIT_OK, invalidBatch, UsageError } from '../errors';
import { readBatchFile, workspaceDir, type BatchFileInput } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted, loadCore } from '../lazy';
import { attachProgress, BatchProgress, formatBatchSummary, formatBatchTable, formatDryRunTable, inSubmissionOrder, printJson } from '../output';

const ARGS: ArgsSpec = {
  command: 'sparc batch',
  flags: {
    dir: { type: 'string', valueName: 'DIR' },
    json: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    sequential: { type: 'boolean' },
    concurrency: { type: 'string', valueName: 'N' },
    label: { type: 'string', valueName: 'L' },
  },
  positionals: { min: 1, max: 1, names: 'a batch file (FILE, or - for stdin)' },
};

const HELP = `Usage: sparc batch FILE|- [options]

Runs the operations of a batch file (JSON; "-" reads stdin) concurrently in a workspace.

A batch file holds { "operations": [...], "concurrency"?, "atomic"?, "failFast"?, "timeoutMs"?, "label"? };
each operation is { "id", "type", "params"?, "dependsOn"?, "timeoutMs"?, "retry"?, "priority"? }.

Options:
  --dir DIR          workspace root; every path stays inside it (default: current directory)
  --json             print the batch result as one JSON document on stdout
  --dry-run          validate and show what would run (and the diff of an atomic batch); change nothing
  --sequential       run one operation at a time (same as --concurrency 1)
  --concurrency N    operations in flight at once (overrides the file; default 6)
  --label L          label recorded with the run's metrics
  -h, --help         show this help

Exit codes: 0 every operation succeeded, 1 any failed, was skipped, timed out or was cancelled,
2 invalid arguments or batch file (nothing ran).
`;

/** `--sequential` or `--concurrency N`, never both. */
export function concurrencyFromArgs(args: ParsedArgs): number | undefined {
  const explicit = positiveIntegerFlag('concurrency', args.string('concurrency'));
  if (args.boolean('sequential')) {
    if (explicit !== undefined && explicit !== 1) throw new UsageError('use either --sequential or --concurrency, not both');
    return 1;
  }
  return explicit;
}

export interface BatchRunOutcome {
  result: BatchResult;
  /** What each operation does, in words (`write src/a.ts`), for dry-run listings. */
  descriptions: Map<string, string>;
}

/** Runs a batch; engine ValidationErrors become InputErrors that name the file. */
export async function runBatchFile(
  input: BatchFileInput,
  dir: string | undefined,
  ctx: CliContext,
  options: { concurrency?: number; label?: string; dryRun?: boolean },
): Promise<BatchRunOutcome> {
  const core = loadCore();
  const workspace = await core.Workspace.open(workspaceDir(dir, ctx));
  const engine = new core.BatchEngine({ workspace });
  const detach = attachProgress(engine.events, new BatchProgress(ctx.stderr));
  try {
    // A dry run does no real work: recording it would skew the measured statistics.
    const dryRun = options.dryRun === true || (input.batch as { dryRun?: unknown } | null)?.dryRun === true;
    const result = await withInterrupt(ctx.stderr, interrupted, (signal) => engine.run(input.batch, { ...options, signal, record: !dryRun }));
    const descriptions = new Map<string, string>();
    if (result.dryRun) {
      for (const op of engine.validate(input.batch).operations) {
        descriptions.set(op.id, op.handler.describe ? op.handler.describe(op.params as never) : '');
      }
    }
    return { result: { ...result, results: inSubmissionOrder(result.results, input.ids) }, descriptions };
  } catch (error) {
    if (error instanceof core.ValidationError) {
      throw invalidBatch(input.source, error);
    }
    throw error;
  } finally {
    detach();
    await engine.close();
  }
}

/** Every operation succeeded (a dry run counts operations it only described) and any commit went through. */
export function batchSucceeded(result: BatchResult): boolean {
  return result.status === 'succeeded' && !result.commitError;
}

function printHuman({ result, descriptions }: BatchRunOutcome, ctx: CliContext): void {
  if (result.dryRun) {
    const n = result.results.length;
    ctx.stdout.write(`dry run${result.atomic ? ' (atomic)' : ''}: ${n} operation${n === 1 ? '' : 's'}, nothing was changed\n`);
    if (n > 0) ctx.stdout.write(`${formatDryRunTable(result.results, descriptions)}\n`);
    if (result.diff) ctx.stdout.write(`\n${result.diff.endsWith('\n') ? result.diff : `${result.diff}\n`}`);
    return;
  }
  if (result.results.length > 0) ctx.stdout.write(`${formatBatchTable(result.results)}\n`);
  if (result.commitError) ctx.stdout.write(`commit failed, every change rolled back: ${result.commitError.code}: ${result.commitError.message}\n`);
  ctx.stdout.write(`${formatBatchSummary(result)}\n`);
}

export const batchCommand = defineCommand({
  name: 'batch',
  synopsis: 'batch FILE|-',
  summary: 'run a batch file of operations concurrently',
  help: HELP,
  args: ARGS,
  async run(args, ctx) {
    const concurrency = concurrencyFromArgs(args);
    const input = await readBatchFile(args.positionals[0], ctx);
    const outcome = await runBatchFile(input, args.string('dir'), ctx, {
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(args.string('label') !== undefined ? { label: args.string('label') } : {}),
      ...(args.boolean('dry-run') ? { dryRun: true } : {}),
    });
    if (args.boolean('json')) printJson(ctx.stdout, outcome.result);
    else printHuman(outcome, ctx);
    return batchSucceeded(outcome.result) ? EXIT_OK : EXIT_FAILED;
  },
});
