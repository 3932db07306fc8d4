import { toErrorInfo } from '../errors';
import type { BatchMetrics, BatchResult, OperationResult, OperationStatus } from '../operations/types';
import type { FileStore } from '../workspace/file-store';
import type { ParsedBatch } from './parse-batch';

/** A staged change set the run can commit or discard: a FileTransaction. */
export interface StagedChanges extends FileStore {
  diff(): string | Promise<string>;
  commit(): Promise<unknown>;
  rollback(): void | Promise<void>;
}

export interface Tally {
  counts: Record<OperationStatus, number>;
  sumOpMs: number;
  /** Every operation succeeded (in a dry run: or was not executed by design). */
  allGood: boolean;
}

export function tallyResults(results: OperationResult[], dryRun: boolean): Tally {
  const counts: Record<OperationStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0, 'timed-out': 0 };
  let sumOpMs = 0;
  let dryRunSkips = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    counts[r.status]++;
    sumOpMs += r.durationMs;
    if (dryRun && r.status === 'skipped' && r.error?.code === 'DRY_RUN') dryRunSkips++;
  }
  return { counts, sumOpMs, allGood: counts.succeeded + dryRunSkips === results.length };
}

/** Dry run: diff and discard. Otherwise commit when everything succeeded, else discard. */
export async function settleStagedChanges(staged: StagedChanges, result: BatchResult, allGood: boolean): Promise<void> {
  if (result.dryRun) {
    result.diff = await staged.diff();
    await staged.rollback();
    return;
  }
  if (!allGood) {
    await staged.rollback();
    result.committed = false;
    return;
  }
  try {
    await staged.commit();
    result.committed = true;
  } catch (error) {
    result.committed = false;
    result.commitError = toErrorInfo(error);
  }
}

export function batchStatus(allGood: boolean, succeeded: number, result: BatchResult): BatchResult['status'] {
  if (result.commitError) return 'failed';
  if (allGood) return 'succeeded';
  // An atomic batch that rolled back wrote nothing: partial would suggest otherwise.
  if (result.atomic && result.committed === false) return 'failed';
  return succeeded > 0 ? 'partial' : 'failed';
}

/** The run's metrics, all measured: wall clock, per-operation clocks, the in-flight gauge, memory. */
export function measureRun(batch: ParsedBatch, tally: Tally, wallMs: number, peakInFlight: number): BatchMetrics {
  const operations = batch.operations.length;
  const memory = process.memoryUsage();
  return {
    label: batch.label,
    operations,
    wallMs: round(wallMs),
    sumOpMs: round(tally.sumOpMs),
    speedup: wallMs > 0 ? round(tally.sumOpMs / wallMs) : 0,
    peakInFlight,
    concurrency: batch.concurrency,
    successRate: operations > 0 ? round(tally.counts.succeeded / operations) : 1,
    counts: tally.counts,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  };
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
