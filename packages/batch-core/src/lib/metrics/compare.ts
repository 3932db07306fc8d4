import { ValidationError } from '../errors';
import type { BatchMetrics, BatchResult, BatchStatus } from '../operations/types';

export interface ConcurrencyComparison {
  concurrency: number;
  batchWallMs: number;
  sequentialWallMs: number;
  /** sequentialWallMs / batchWallMs, as measured; null when the batch took no measurable time. */
  ratio: number | null;
  batchStatus: BatchStatus;
  sequentialStatus: BatchStatus;
  /** True only when both runs succeeded in full, did real work, and ran the same operations. */
  comparable: boolean;
  /** Why the ratio should not be read as a speed-up, when `comparable` is false. */
  reason?: string;
  /** Metrics of each run, for recording them. */
  batch: BatchMetrics;
  sequential: BatchMetrics;
}

/**
 * Runs the same batch at `concurrency`, then at 1, and reports the measured ratio of their wall
 * times. The concurrent run goes first so it does not profit from caches the sequential run warmed.
 */
export async function compareConcurrency(runAt: (concurrency: number) => Promise<BatchResult>, concurrency: number): Promise<ConcurrencyComparison> {
  if (!Number.isInteger(concurrency) || concurrency < 2) {
    throw new ValidationError(`compare needs a concurrency of 2 or more to compare with 1 (got ${concurrency})`, [{ path: 'concurrency', message: 'integer ≥ 2' }]);
  }
  const batch = await runAt(concurrency);
  const sequential = await runAt(1);
  const ratio = batch.metrics.wallMs > 0 ? sequential.metrics.wallMs / batch.metrics.wallMs : null;
  const reason = incomparability(batch, sequential, ratio);
  return {
    concurrency,
    batchWallMs: batch.metrics.wallMs,
    sequentialWallMs: sequential.metrics.wallMs,
    ratio,
    batchStatus: batch.status,
    sequentialStatus: sequential.status,
    comparable: reason === undefined,
    ...(reason !== undefined ? { reason } : {}),
    batch: batch.metrics,
    sequential: sequential.metrics,
  };
}

function incomparability(batch: BatchResult, sequential: BatchResult, ratio: number | null): string | undefined {
  const problems: string[] = [];
  if (batch.status !== 'succeeded') problems.push(`the run at concurrency ${batch.metrics.concurrency} ${batch.status === 'partial' ? 'partly failed' : 'failed'}`);
  if (sequential.status !== 'succeeded') problems.push(`the sequential run ${sequential.status === 'partial' ? 'partly failed' : 'failed'}`);
  if (batch.dryRun || sequential.dryRun) problems.push('a dry run does no real work');
  if (batch.metrics.operations !== sequential.metrics.operations) {
    problems.push(`the runs had different numbers of operations (${batch.metrics.operations} vs ${sequential.metrics.operations})`);
  }
  if (ratio === null) problems.push('the concurrent run took no measurable time');
  return problems.length > 0 ? problems.join('; ') : undefined;
}
