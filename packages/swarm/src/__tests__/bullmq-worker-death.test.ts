import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { runBullmqSwarm } from '../lib/redis/run-bullmq';
import { tempDir } from './helpers/work';
import { countRegistry, executionCounts, startWorker, stopWorker, useRedis, waitFor, type WorkerProcess } from './helpers/redis';

/** Short locks and checks, so a dead worker's job is found within seconds. */
const FAST_RECOVERY = ['--lock-duration', '1500', '--stalled-interval', '500', '--heartbeat', '250'];

function plan(topology: string) {
  return {
    topology,
    agents: [{ type: 'coder' }, { type: 'tester' }],
    tasks: [
      { id: 'gated', capability: 'coder', priority: 100, operation: { type: 'test.count', params: { gate: 'gate-open' } } },
      ...Array.from({ length: 200 }, (_, i) => ({ id: `t${i}`, capability: i % 2 ? 'coder' : 'tester', ...(i >= 20 && i % 5 === 0 ? { dependsOn: [`t${i - 20}`] } : {}), operation: { type: 'test.count', params: { holdMs: 5 } } })),
    ],
  };
}

describe.each(['mesh', 'star'])('bullmq, %s: a worker killed with SIGKILL mid-run', (topology) => {
  const redis = useRedis();
  let dir: string;
  let cleanup: () => Promise<void>;
  let workers: WorkerProcess[] = [];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir(`death-${topology}`));
    workers = await Promise.all([0, 1].map(() => startWorker({ redis: redis.url, dir, extra: FAST_RECOVERY })));
  });
  afterEach(async () => {
    await Promise.all(workers.map(stopWorker));
    await cleanup();
  });

  it('has its task retried on the other worker; every task completes exactly once in the results', async () => {
    const runPlan = plan(topology);
    const running = runBullmqSwarm(runPlan, { redis: redis.url, dir, tickMs: 200, registry: countRegistry() });

    // The gated task has started somewhere: kill that worker while it runs it.
    let marker: string | undefined;
    await waitFor(() => {
      marker = readdirSync(dir).find((f) => f.startsWith('started-gated-'));
      return marker !== undefined;
    }, 'the gated task to start');
    const victimPid = Number((marker as string).split('-').pop());
    const victim = workers.find((w) => w.pid === victimPid) as WorkerProcess;
    const survivor = workers.find((w) => w !== victim) as WorkerProcess;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    await fsp.writeFile(path.join(dir, 'gate-open'), '');

    const report = await running;
    expect(report.status).toBe('succeeded');
    expect(report.tasks).toHaveLength(201);
    expect(new Set(report.tasks.map((t) => t.id)).size).toBe(201);
    expect(report.metrics.duplicates).toBe(0);

    // The killed worker's task ran again on the survivor, and counts both attempts.
    const gated = report.tasks.find((t) => t.id === 'gated');
    expect(gated?.agent?.startsWith(`${survivor.id}.`)).toBe(true);
    expect(gated?.attempts).toBe(2);
    expect(existsSync(path.join(dir, `started-gated-${survivor.pid}`))).toBe(true);

    // Every task ran at least once; only tasks the dead worker held ran twice, and they ended on the survivor.
    const counts = await executionCounts(dir);
    for (const task of runPlan.tasks) expect(counts.get(task.id)).toBeGreaterThanOrEqual(1);
    const twice = runPlan.tasks.filter((t) => (counts.get(t.id) ?? 0) > 1);
    expect(twice.length).toBeLessThanOrEqual(2);
    for (const task of twice) {
      const entry = report.tasks.find((t) => t.id === task.id);
      expect(entry?.attempts).toBe(2);
      expect(entry?.agent?.startsWith(`${survivor.id}.`)).toBe(true);
    }
  });
});
