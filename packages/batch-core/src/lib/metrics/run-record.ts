import { z } from 'zod';
import type { BatchMetrics } from '../operations/types';

/** Where a run came from. Free-form beyond the known kinds so other layers can add their own. */
export type RunKind = 'batch' | 'compare' | 'mode' | 'pipeline' | (string & {});

export interface RecordExtra {
  /** @default 'batch' */
  kind?: RunKind;
  /** The pipeline or mode run this batch belonged to. */
  runId?: string;
  /** The mode that ran the batch. */
  mode?: string;
}

/** One line of `.sparc/metrics.jsonl`: the measured metrics of one batch run. */
export interface RunRecord extends BatchMetrics {
  /** ISO time the record was written (just after the run ended). */
  ts: string;
  kind: RunKind;
  runId?: string;
  mode?: string;
}

/** Label used to group runs recorded without one. */
export const UNLABELLED = '(unlabelled)';

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();

/** Used both for what `record` writes and for every line read back; z.number() already refuses NaN and Infinity. */
export const runRecordSchema = z.object({
  ts: z.iso.datetime(),
  kind: z.string().min(1),
  label: z.string().optional(),
  runId: z.string().optional(),
  mode: z.string().optional(),
  operations: count,
  wallMs: nonNegative,
  sumOpMs: nonNegative,
  speedup: nonNegative,
  peakInFlight: count,
  concurrency: z.number().int().positive(),
  successRate: z.number().min(0).max(1),
  counts: z.object({ succeeded: count, failed: count, skipped: count, cancelled: count, 'timed-out': count }),
  rssBytes: count,
  heapUsedBytes: count,
});

export function labelOf(record: Pick<RunRecord, 'label'>): string {
  return record.label ?? UNLABELLED;
}

/** Milliseconds of wall time per operation; undefined for empty batches. */
export function wallMsPerOp(record: Pick<RunRecord, 'wallMs' | 'operations'>): number | undefined {
  return record.operations > 0 ? record.wallMs / record.operations : undefined;
}

/**
 * Runs whose speed-up says something about parallelism: a run at concurrency 1 is sequential by
 * construction (its speed-up is at most 1), so it is a baseline, not a sample of parallel speed-up.
 */
export function isConcurrentRun(record: Pick<RunRecord, 'concurrency' | 'operations'>): boolean {
  return record.concurrency > 1 && record.operations > 0;
}
