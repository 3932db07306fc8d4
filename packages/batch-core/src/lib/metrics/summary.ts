import { isConcurrentRun, labelOf, type RunRecord } from './run-record';
import { max, mean, median, min, percentile, sum } from './stats';

export interface SpeedupStats {
  /** Runs at concurrency > 1 the statistics are computed from. */
  runs: number;
  mean: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export interface GroupSummary {
  runs: number;
  /** Total operations over all runs. */
  operations: number;
  /** Total wall time over all runs. */
  wallMs: number;
  /** Measured speed-up of the runs at concurrency > 1; null when there are none. */
  speedup: SpeedupStats | null;
  meanSuccessRate: number | null;
  peakInFlightMax: number | null;
  /** Concurrency limits the runs used, ascending. */
  concurrencies: number[];
  firstTs: string | null;
  lastTs: string | null;
}

export interface PerformanceSummary extends GroupSummary {
  /** Lines of the metrics file that could not be read as a record (skipped). */
  corruptLines: number;
  byLabel: Record<string, GroupSummary>;
  /** Runs per kind (`batch`, `compare`, `mode`...). */
  byKind: Record<string, number>;
}

/** Computed from the records only; with no records every statistic is null rather than a made-up number. */
export function summarize(records: readonly RunRecord[], corruptLines = 0): PerformanceSummary {
  const byLabel: Record<string, GroupSummary> = {};
  for (const [label, group] of groupBy(records, labelOf)) byLabel[label] = summarizeGroup(group);
  const byKind: Record<string, number> = {};
  for (const record of records) byKind[record.kind] = (byKind[record.kind] ?? 0) + 1;
  return { ...summarizeGroup(records), corruptLines, byLabel, byKind };
}

export function summarizeGroup(records: readonly RunRecord[]): GroupSummary {
  if (records.length === 0) {
    return { runs: 0, operations: 0, wallMs: 0, speedup: null, meanSuccessRate: null, peakInFlightMax: null, concurrencies: [], firstTs: null, lastTs: null };
  }
  const speedups = records.filter(isConcurrentRun).map((r) => r.speedup);
  const timestamps = records.map((r) => r.ts).sort();
  return {
    runs: records.length,
    operations: sum(records.map((r) => r.operations)),
    wallMs: sum(records.map((r) => r.wallMs)),
    speedup:
      speedups.length === 0
        ? null
        : { runs: speedups.length, mean: mean(speedups), median: median(speedups), p95: percentile(speedups, 95), min: min(speedups), max: max(speedups) },
    meanSuccessRate: mean(records.map((r) => r.successRate)),
    peakInFlightMax: max(records.map((r) => r.peakInFlight)),
    concurrencies: [...new Set(records.map((r) => r.concurrency))].sort((a, b) => a - b),
    firstTs: timestamps[0],
    lastTs: timestamps[timestamps.length - 1],
  };
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
