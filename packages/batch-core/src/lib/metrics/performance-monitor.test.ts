import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '../errors';
import { knownMetrics } from './__tests__/fixtures';
import { PerformanceMonitor } from './performance-monitor';

let root: string;
let monitor: PerformanceMonitor;
let metricsFile: string;

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-metrics-'));
  monitor = new PerformanceMonitor(root);
  metricsFile = path.join(root, '.sparc', 'metrics.jsonl');
});

afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe('record and history', () => {
  it('appends one JSON line per run under .sparc/ and reads them back in order', async () => {
    const first = await monitor.record(knownMetrics({ label: 'build', wallMs: 120 }));
    await monitor.record(knownMetrics({ label: 'test', wallMs: 300 }), { kind: 'mode', mode: 'tdd', runId: 'run-1' });
    await monitor.record(knownMetrics({ label: 'build', wallMs: 90 }));

    const lines = (await fsp.readFile(metricsFile, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0])).toEqual(first);
    expect(first.kind).toBe('batch');
    expect(new Date(first.ts).toISOString()).toBe(first.ts);

    const history = await monitor.history();
    expect(history.map((r) => [r.label, r.wallMs, r.kind])).toEqual([
      ['build', 120, 'batch'],
      ['test', 300, 'mode'],
      ['build', 90, 'batch'],
    ]);
    expect(history[1]).toMatchObject({ mode: 'tdd', runId: 'run-1', counts: { succeeded: 10, failed: 0 } });
    expect((await monitor.history({ label: 'build' })).map((r) => r.wallMs)).toEqual([120, 90]);
    expect((await monitor.history({ limit: 2 })).map((r) => r.wallMs)).toEqual([300, 90]);
    expect((await monitor.history({ kind: 'mode' })).map((r) => r.label)).toEqual(['test']);
  });

  it('keeps every line whole when many runs record at once', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => monitor.record(knownMetrics({ label: `run-${i}`, operations: i + 1 }))));
    const log = await monitor.read();
    expect(log.corruptLines).toBe(0);
    expect(log.records).toHaveLength(40);
    expect(new Set(log.records.map((r) => r.label)).size).toBe(40);
  });

  it('refuses metrics that are not finite numbers and writes nothing', async () => {
    await expect(monitor.record(knownMetrics({ speedup: Number.NaN }))).rejects.toMatchObject({ code: 'INVALID_METRICS' });
    await expect(monitor.record(knownMetrics({ successRate: 1.5 }))).rejects.toBeInstanceOf(ValidationError);
    await expect(fsp.access(metricsFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('skips and counts corrupt lines instead of failing', async () => {
    await monitor.record(knownMetrics({ label: 'good' }));
    await fsp.appendFile(metricsFile, '{not json\n{"ts":"2025-01-01T00:00:00.000Z","kind":"batch"}\n\n');
    await monitor.record(knownMetrics({ label: 'also-good' }));
    await fsp.appendFile(metricsFile, '{"ts":"2025-01-01T00:00:00.000Z","kind":"ba');

    const log = await monitor.read();
    expect(log.records.map((r) => r.label)).toEqual(['good', 'also-good']);
    expect(log.corruptLines).toBe(3);
    expect((await monitor.history()).length).toBe(2);
    expect((await monitor.summary()).corruptLines).toBe(3);
  });

  it('reads an absent file as an empty history', async () => {
    expect(await monitor.read()).toEqual({ records: [], corruptLines: 0 });
    expect(await monitor.history({ limit: 5 })).toEqual([]);
  });
});

describe('summary', () => {
  it('says runs: 0 and reports no statistics when nothing was recorded', async () => {
    const summary = await monitor.summary();
    expect(summary).toMatchObject({ runs: 0, speedup: null, meanSuccessRate: null, peakInFlightMax: null, firstTs: null, lastTs: null, byLabel: {}, byKind: {} });
  });

  it('computes totals, mean, median and p95 from the recorded numbers', async () => {
    for (const speedup of [2, 4, 3, 5]) await monitor.record(knownMetrics({ label: 'build', speedup, operations: 10, wallMs: 100, peakInFlight: 6 }));
    // A sequential baseline counts as a run but not as a speed-up sample.
    await monitor.record(knownMetrics({ label: 'build', speedup: 1, concurrency: 1, peakInFlight: 1, operations: 10, wallMs: 400 }), { kind: 'compare' });
    await monitor.record(knownMetrics({ label: 'deploy', speedup: 1.5, operations: 20, wallMs: 50, successRate: 0.5, peakInFlight: 3 }));

    const summary = await monitor.summary();
    expect(summary.runs).toBe(6);
    expect(summary.operations).toBe(70);
    expect(summary.wallMs).toBe(850);
    expect(summary.speedup).toEqual({ runs: 5, mean: 3.1, median: 3, p95: 5, min: 1.5, max: 5 });
    expect(summary.meanSuccessRate).toBeCloseTo(5.5 / 6, 10);
    expect(summary.peakInFlightMax).toBe(6);
    expect(summary.concurrencies).toEqual([1, 6]);
    expect(summary.byKind).toEqual({ batch: 5, compare: 1 });
    expect(summary.byLabel.build).toMatchObject({ runs: 5, operations: 50, wallMs: 800, speedup: { runs: 4, mean: 3.5, median: 3.5, p95: 5 } });
    expect(summary.byLabel.deploy).toMatchObject({ runs: 1, meanSuccessRate: 0.5, peakInFlightMax: 3 });
    const history = await monitor.history();
    expect(summary.firstTs).toBe(history[0].ts);
    expect(summary.lastTs).toBe(history[history.length - 1].ts);
  });
});

describe('trends and recommendations through the monitor', () => {
  it('reports insufficient-data with too few runs', async () => {
    for (let i = 0; i < 3; i++) await monitor.record(knownMetrics({ label: 'build' }));
    const report = await monitor.trends({ window: 2 });
    expect(report.runsNeeded).toBe(4);
    expect(report.labels).toHaveLength(1);
    expect(report.labels[0]).toMatchObject({ label: 'build', runs: 3, speedup: 'insufficient-data', wallMsPerOp: 'insufficient-data', earlier: null, recent: null });
    expect(report.labels[0].points).toHaveLength(3);
  });

  it('gives no recommendations without history, and cites numbers when it has some', async () => {
    expect(await monitor.recommendations()).toEqual([]);
    for (let i = 0; i < 3; i++) await monitor.record(knownMetrics({ label: 'flaky', successRate: 0.8, operations: 10 }));
    const recommendations = await monitor.recommendations();
    expect(recommendations).toHaveLength(1);
    expect(recommendations[0]).toMatchObject({ rule: 'low-success-rate', label: 'flaky', evidence: { runs: 3, meanSuccessRate: 0.8, failed: 6, operations: 30 } });
    expect(recommendations[0].message).toBe('flaky: success rate 80.0% over 3 runs (6 failed, 0 timed out, 0 skipped, 0 cancelled of 30 operations)');
  });
});

describe('clear', () => {
  it('deletes the file and returns how many records it held', async () => {
    for (let i = 0; i < 4; i++) await monitor.record(knownMetrics());
    await fsp.appendFile(metricsFile, 'garbage\n');
    expect(await monitor.clear()).toBe(4);
    await expect(fsp.access(metricsFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsp.readdir(path.dirname(metricsFile))).toEqual([]);
    expect(await monitor.clear()).toBe(0);
    expect((await monitor.summary()).runs).toBe(0);
  });
});
