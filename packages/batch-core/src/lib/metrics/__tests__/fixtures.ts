import type { BatchMetrics, BatchResult, BatchStatus } from '../../operations/types';

/** Metrics with known numbers; counts follow from `operations` and `successRate`. */
export function knownMetrics(overrides: Partial<BatchMetrics> = {}): BatchMetrics {
  const operations = overrides.operations ?? 10;
  const successRate = overrides.successRate ?? 1;
  const succeeded = Math.round(operations * successRate);
  const wallMs = overrides.wallMs ?? 100;
  const speedup = overrides.speedup ?? 2;
  return {
    label: 'build',
    operations,
    wallMs,
    sumOpMs: wallMs * speedup,
    speedup,
    peakInFlight: 4,
    concurrency: 6,
    successRate,
    counts: { succeeded, failed: operations - succeeded, skipped: 0, cancelled: 0, 'timed-out': 0 },
    rssBytes: 50_000_000,
    heapUsedBytes: 20_000_000,
    ...overrides,
  };
}

export function knownResult(status: BatchStatus, metrics: Partial<BatchMetrics>): BatchResult {
  return { status, dryRun: false, atomic: false, results: [], metrics: knownMetrics(metrics) };
}
