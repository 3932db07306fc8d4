import { ValidationError } from '../errors';
import { isConcurrentRun, labelOf, type RunRecord } from './run-record';
import { max, mean, median, sum } from './stats';
import { groupBy } from './summary';
import { computeTrends, type TrendOptions } from './trends';

export type RecommendationRule = 'dependency-bound' | 'limit-bound' | 'low-speedup' | 'low-success-rate' | 'slower-per-operation';

export interface Recommendation {
  rule: RecommendationRule;
  label: string;
  /** Cites the numbers it rests on. */
  message: string;
  /** The measured numbers behind the message. */
  evidence: Record<string, number | string>;
}

export interface RecommendationOptions extends TrendOptions {
  /** Runs a label (or label and concurrency) needs before any rule speaks about it. @default 3 */
  minRuns?: number;
  /** Mean success rate below which failures are reported. @default 0.95 */
  successRateBelow?: number;
  /** Median speed-up below which work is called mostly sequential. @default 1.2 */
  speedupBelow?: number;
}

/** Findings drawn from recorded runs only. No rule fires without `minRuns` runs behind it. */
export function recommend(records: readonly RunRecord[], options: RecommendationOptions = {}): Recommendation[] {
  const minRuns = options.minRuns ?? 3;
  if (!Number.isInteger(minRuns) || minRuns < 1) throw new ValidationError(`minRuns must be a positive integer (got ${minRuns})`, [{ path: 'minRuns', message: 'positive integer' }]);
  const successRateBelow = options.successRateBelow ?? 0.95;
  const speedupBelow = options.speedupBelow ?? 1.2;
  const out: Recommendation[] = [];

  for (const [label, runs] of sortedGroups(records, labelOf)) {
    const concurrent = runs.filter(isConcurrentRun);

    for (const [concurrency, atLimit] of sortedGroups(concurrent, (r) => r.concurrency)) {
      if (atLimit.length < minRuns) continue;
      const peak = max(atLimit.map((r) => r.peakInFlight));
      const filled = atLimit.filter((r) => r.operations >= concurrency);
      const speedup = median(atLimit.map((r) => r.speedup));
      // Only batches with at least `concurrency` operations could have filled every slot.
      if (concurrency >= 3 && filled.length >= minRuns && max(filled.map((r) => r.peakInFlight)) <= concurrency / 2) {
        const filledPeak = max(filled.map((r) => r.peakInFlight));
        out.push({
          rule: 'dependency-bound',
          label,
          message: `${label}: ${filled.length} runs at concurrency ${concurrency} (each with ≥ ${concurrency} operations) never had more than ${filledPeak} in flight — the dependency graph, not the concurrency limit, bounds it`,
          evidence: { runs: filled.length, concurrency, maxPeakInFlight: filledPeak, medianOperations: median(filled.map((r) => r.operations)) },
        });
      }
      const reachedLimit = atLimit.filter((r) => r.peakInFlight >= concurrency).length;
      if (reachedLimit / atLimit.length >= 0.8 && speedup >= 0.8 * concurrency) {
        out.push({
          rule: 'limit-bound',
          label,
          message: `${label}: ${reachedLimit} of ${atLimit.length} runs at concurrency ${concurrency} filled every slot and the median speed-up is ${fmt(speedup)}× — the concurrency limit bounds it; a higher limit may help if the targets allow it`,
          evidence: { runs: atLimit.length, concurrency, runsAtLimit: reachedLimit, peakInFlight: peak, medianSpeedup: round(speedup) },
        });
      }
    }

    if (concurrent.length >= minRuns) {
      const speedup = median(concurrent.map((r) => r.speedup));
      if (speedup < speedupBelow) {
        const limits = [...new Set(concurrent.map((r) => r.concurrency))].sort((a, b) => a - b);
        out.push({
          rule: 'low-speedup',
          label,
          message: `${label}: measured speed-up ${fmt(speedup)}× (median) is below ${speedupBelow}× over ${concurrent.length} runs at concurrency ${limits.join('/')}: mostly sequential work`,
          evidence: { runs: concurrent.length, medianSpeedup: round(speedup), concurrency: limits.join(',') },
        });
      }
    }

    if (runs.length >= minRuns) {
      const rate = mean(runs.map((r) => r.successRate));
      if (rate < successRateBelow) {
        const counts = (key: keyof RunRecord['counts']) => sum(runs.map((r) => r.counts[key]));
        const operations = sum(runs.map((r) => r.operations));
        out.push({
          rule: 'low-success-rate',
          label,
          message: `${label}: success rate ${pct(rate)} over ${runs.length} runs (${counts('failed')} failed, ${counts('timed-out')} timed out, ${counts('skipped')} skipped, ${counts('cancelled')} cancelled of ${operations} operations)`,
          evidence: {
            runs: runs.length,
            meanSuccessRate: round(rate),
            operations,
            failed: counts('failed'),
            timedOut: counts('timed-out'),
            skipped: counts('skipped'),
            cancelled: counts('cancelled'),
          },
        });
      }
    }
  }

  for (const trend of computeTrends(records, options).labels) {
    if (trend.wallMsPerOp !== 'worsening' || !trend.earlier || !trend.recent) continue;
    out.push({
      rule: 'slower-per-operation',
      label: trend.label,
      message: `${trend.label}: wall time per operation rose from ${fmt(trend.earlier.medianWallMsPerOp)} ms to ${fmt(trend.recent.medianWallMsPerOp)} ms (median of the last ${trend.recent.runs} runs vs the ${trend.earlier.runs} before)`,
      evidence: {
        runs: trend.earlier.runs + trend.recent.runs,
        earlierMedianWallMsPerOp: round(trend.earlier.medianWallMsPerOp),
        recentMedianWallMsPerOp: round(trend.recent.medianWallMsPerOp),
        since: trend.recent.fromTs,
      },
    });
  }
  return out;
}

function sortedGroups<K extends string | number>(records: readonly RunRecord[], key: (r: RunRecord) => K): [K, RunRecord[]][] {
  return [...groupBy(records, key)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(rate >= 0.995 || rate === 0 ? 0 : 1)}%`;
}
