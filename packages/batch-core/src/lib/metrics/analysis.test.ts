import type { BatchMetrics } from '../operations/types';
import { knownMetrics, knownResult } from './__tests__/fixtures';
import { compareConcurrency } from './compare';
import { formatComparison, formatRecommendations, formatSummary, formatTrends } from './format';
import { recommend } from './recommendations';
import type { RunRecord } from './run-record';
import { summarize } from './summary';
import { computeTrends } from './trends';

/** Records in file order with distinct, increasing timestamps. */
function history(runs: Partial<BatchMetrics>[]): RunRecord[] {
  return runs.map((overrides, i) => ({ ts: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), kind: 'batch', ...knownMetrics(overrides) }));
}

function repeat(times: number, overrides: Partial<BatchMetrics>): Partial<BatchMetrics>[] {
  return Array.from({ length: times }, () => overrides);
}

describe('computeTrends', () => {
  it('compares the medians of the recent window with the window before', () => {
    const records = history([
      ...repeat(2, { label: 'build', operations: 10, wallMs: 100, speedup: 2 }),
      ...repeat(2, { label: 'build', operations: 10, wallMs: 200, speedup: 4 }),
    ]);
    const [trend] = computeTrends(records, { window: 2 }).labels;
    expect(trend.speedup).toBe('improving');
    expect(trend.wallMsPerOp).toBe('worsening');
    expect(trend.earlier).toMatchObject({ runs: 2, medianSpeedup: 2, medianWallMsPerOp: 10 });
    expect(trend.recent).toMatchObject({ runs: 2, medianSpeedup: 4, medianWallMsPerOp: 20 });
    expect(trend.change).toEqual({ speedup: 2, wallMsPerOp: 2 });
  });

  it('calls changes inside the tolerance flat and ignores sequential runs', () => {
    const records = history([
      ...repeat(3, { label: 'build', wallMs: 100, speedup: 3 }),
      { label: 'build', concurrency: 1, wallMs: 900, speedup: 1 },
      ...repeat(3, { label: 'build', wallMs: 105, speedup: 3.1 }),
    ]);
    const [trend] = computeTrends(records, { window: 3 }).labels;
    expect(trend.runs).toBe(6);
    expect([trend.speedup, trend.wallMsPerOp]).toEqual(['flat', 'flat']);
    expect(trend.points.every((p) => p.concurrency === 6)).toBe(true);
  });

  it('refuses a window that is not a positive integer', () => {
    expect(() => computeTrends([], { window: 0 })).toThrow(/window/);
  });
});

describe('recommend', () => {
  it('says the dependency graph bounds a label whose runs never fill the slots', () => {
    const records = history(repeat(3, { label: 'chain', concurrency: 6, operations: 12, peakInFlight: 2, speedup: 1.9 }));
    const [rec] = recommend(records);
    expect(rec.rule).toBe('dependency-bound');
    expect(rec.evidence).toEqual({ runs: 3, concurrency: 6, maxPeakInFlight: 2, medianOperations: 12 });
    expect(rec.message).toBe('chain: 3 runs at concurrency 6 (each with ≥ 6 operations) never had more than 2 in flight — the dependency graph, not the concurrency limit, bounds it');
  });

  it('calls low measured speed-up mostly sequential work, citing the median and the run count', () => {
    const records = history([
      { label: 'io', speedup: 1.1, peakInFlight: 4 },
      { label: 'io', speedup: 1.0, peakInFlight: 4 },
      { label: 'io', speedup: 1.15, peakInFlight: 4 },
    ]);
    const recs = recommend(records);
    expect(recs.map((r) => r.rule)).toEqual(['low-speedup']);
    expect(recs[0].evidence).toMatchObject({ runs: 3, medianSpeedup: 1.1 });
    expect(recs[0].message).toBe('io: measured speed-up 1.10× (median) is below 1.2× over 3 runs at concurrency 6: mostly sequential work');
  });

  it('notices when the concurrency limit is what bounds the speed-up', () => {
    const recs = recommend(history(repeat(4, { label: 'fetch', concurrency: 6, peakInFlight: 6, speedup: 5.7 })));
    expect(recs.map((r) => r.rule)).toEqual(['limit-bound']);
    expect(recs[0].evidence).toMatchObject({ runs: 4, runsAtLimit: 4, medianSpeedup: 5.7 });
  });

  it('reports a rising wall time per operation from the trend windows', () => {
    const records = history([...repeat(2, { label: 'gen', wallMs: 100, operations: 10 }), ...repeat(2, { label: 'gen', wallMs: 300, operations: 10 })]);
    const recs = recommend(records, { window: 2 });
    const slower = recs.find((r) => r.rule === 'slower-per-operation');
    expect(slower?.evidence).toMatchObject({ runs: 4, earlierMedianWallMsPerOp: 10, recentMedianWallMsPerOp: 30 });
    expect(slower?.message).toContain('from 10.0 ms to 30.0 ms');
  });

  it('stays silent below the minimum number of runs', () => {
    expect(recommend(history(repeat(2, { label: 'flaky', successRate: 0.5, speedup: 1 })))).toEqual([]);
  });
});

describe('compareConcurrency', () => {
  it('runs at the given concurrency first, then at 1, and reports the measured ratio', async () => {
    const calls: number[] = [];
    const comparison = await compareConcurrency(async (concurrency) => {
      calls.push(concurrency);
      return knownResult('succeeded', { concurrency, wallMs: concurrency === 1 ? 600 : 150 });
    }, 6);
    expect(calls).toEqual([6, 1]);
    expect(comparison).toMatchObject({ concurrency: 6, batchWallMs: 150, sequentialWallMs: 600, ratio: 4, batchStatus: 'succeeded', sequentialStatus: 'succeeded', comparable: true });
    expect(comparison).not.toHaveProperty('reason');
  });

  it('reports both statuses and marks the ratio not comparable when a run failed', async () => {
    const comparison = await compareConcurrency(async (concurrency) => knownResult(concurrency === 1 ? 'partial' : 'succeeded', { concurrency, wallMs: concurrency === 1 ? 500 : 250 }), 4);
    expect(comparison).toMatchObject({ ratio: 2, batchStatus: 'succeeded', sequentialStatus: 'partial', comparable: false, reason: 'the sequential run partly failed' });
  });

  it('has no ratio when the concurrent run took no measurable time', async () => {
    const comparison = await compareConcurrency(async (concurrency) => knownResult('succeeded', { concurrency, wallMs: concurrency === 1 ? 3 : 0 }), 2);
    expect(comparison.ratio).toBeNull();
    expect(comparison.comparable).toBe(false);
  });

  it('refuses a concurrency below 2 without running anything', async () => {
    const calls: number[] = [];
    await expect(compareConcurrency(async (c) => (calls.push(c), knownResult('succeeded', {})), 1)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(calls).toEqual([]);
  });
});

describe('plain-text renderers', () => {
  it('renders an empty summary without numbers', () => {
    expect(formatSummary(summarize([], 2))).toBe('no runs recorded yet (2 unreadable lines skipped)');
  });

  it('renders a summary table with one row per label and a total row', () => {
    const text = formatSummary(summarize(history([{ label: 'a', speedup: 2 }, { label: 'b', speedup: 4, successRate: 0.5 }])));
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 runs, 20 operations, 200 ms wall time');
    expect(lines.find((l) => l.startsWith('a '))).toMatch(/^a +1 +10 +100 ms +2\.00× \/ 2\.00× \/ 2\.00× +100% +4 +6$/);
    expect(lines.find((l) => l.startsWith('b '))).toMatch(/ 50\.0% /);
    expect(lines.find((l) => l.startsWith('all '))).toMatch(/3\.00× \/ 3\.00× \/ 4\.00×/);
  });

  it('renders trends, comparisons and recommendations', async () => {
    expect(formatTrends(computeTrends(history([{ label: 'a' }]), { window: 2 }))).toMatch(/^label +runs.*\n-+.*\na +1 +insufficient-data/);
    const comparison = await compareConcurrency(async (c) => knownResult(c === 1 ? 'succeeded' : 'failed', { concurrency: c, wallMs: c === 1 ? 400 : 100 }), 6);
    const text = formatComparison(comparison);
    expect(text).toContain('measured ratio: 4.00×');
    expect(text).toContain('not comparable: the run at concurrency 6 failed');
    expect(formatRecommendations([])).toMatch(/^no recommendations/);
    expect(formatRecommendations(recommend(history(repeat(3, { label: 'x', successRate: 0.5 }))))).toMatch(/^- \[low-success-rate\] x: success rate 50\.0% over 3 runs/);
  });
});
