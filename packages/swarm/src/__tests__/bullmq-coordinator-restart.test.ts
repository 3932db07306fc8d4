import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { connectRedis } from '../lib/redis/connection';
import { SwarmKeys } from '../lib/redis/keys';
import { readRedisRun, resumeBullmqSwarm } from '../lib/redis/run-bullmq';
import { tempDir } from './helpers/work';
import { countRegistry, executionCounts, startWorker, stopWorker, useRedis, waitFor, type WorkerProcess } from './helpers/redis';

const COORDINATOR = path.join(__dirname, '__fixtures__', 'coordinator.js');

/** Three long chains: most tasks become ready only when the one before finishes, so the run needs its coordinator throughout. */
function chainPlan() {
  return {
    topology: 'mesh',
    agents: [{ type: 'coder' }],
    tasks: Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, capability: i % 2 ? 'coder' : 'tester', ...(i >= 3 ? { dependsOn: [`t${i - 3}`] } : {}), operation: { type: 'test.count', params: { holdMs: 5 } } })),
  };
}

describe('bullmq: a coordinator restarted mid-run', () => {
  const redis = useRedis();
  let dir: string;
  let cleanup: () => Promise<void>;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('restart'));
    workers = await Promise.all([0, 1].map(() => startWorker({ redis: redis.url, dir })));
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await cleanup();
  });

  it('picks the run up from Redis: finished tasks stay finished, the rest complete, each exactly once', async () => {
    const runId = 'restart-run';
    const planFile = path.join(dir, 'plan.json');
    await fsp.writeFile(planFile, JSON.stringify(chainPlan()));
    const keys = new SwarmKeys();
    const client = await connectRedis(redis.url);
    try {
      const first = spawn(process.execPath, [COORDINATOR, redis.url, dir, runId, planFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      first.stderr?.on('data', (chunk) => (stderr += chunk));
      const firstExit = new Promise<NodeJS.Signals | null>((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
      await waitFor(async () => (await client.llen(keys.log(runId))) >= 60, `60 results (coordinator stderr: ${stderr})`);
      first.kill('SIGKILL');
      expect(await firstExit).toBe('SIGKILL');

      // Without a coordinator nothing new is queued: the run stalls part-way.
      await waitFor(async () => !(await client.exists(keys.lease(runId))), 'the dead coordinator’s lease to expire');
      const stalled = await readRedisRun(redis.url, runId);
      expect(stalled.status).toBe('interrupted');
      const doneBefore = stalled.tasks.filter((t) => t.status === 'succeeded').length;
      expect(doneBefore).toBeGreaterThanOrEqual(60);
      expect(doneBefore).toBeLessThan(300);
      expect(stalled.tasks.filter((t) => t.status === 'pending').length).toBe(300 - doneBefore);

      const report = await resumeBullmqSwarm(runId, { redis: redis.url, dir, registry: countRegistry(), tickMs: 200 });
      expect(report.runId).toBe(runId);
      expect(report.status).toBe('succeeded');
      expect(report.tasks).toHaveLength(300);
      expect(report.tasks.every((t) => t.status === 'succeeded' && t.attempts === 1)).toBe(true);
      // No task ran twice: what finished before the restart was not redone.
      const counts = await executionCounts(dir);
      for (let i = 0; i < 300; i++) expect(counts.get(`t${i}`)).toBe(1);
      // Status after the fact reads the stored report.
      expect((await readRedisRun(redis.url, runId)).status).toBe('succeeded');
      // Resuming a finished run just returns its report.
      expect((await resumeBullmqSwarm(runId, { redis: redis.url, dir })).tasks).toEqual(report.tasks);
    } finally {
      client.disconnect();
    }
  });
});
