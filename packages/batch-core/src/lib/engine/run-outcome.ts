import { toErrorInfo } from '../errors';
import type { BatchMetrics, BatchResult } from '../operations/types';
import type { FileStore } from '../workspace/file-store';
import type { ParsedBatch } from './parse-batch';
import type { Tally } from './result-columns';

/** A staged change set the run can commit or discard: a FileTransaction. */
export interface StagedChanges extends FileStore {
  diff(): string | Promise<string>;
  commit(): Promise<unknown>;
  rollback(): void | Promise<void>;
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
  const operations = batch.plan.size;
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
