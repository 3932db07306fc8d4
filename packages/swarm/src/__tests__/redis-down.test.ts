import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { connectRedis } from '../lib/redis/connection';
import { readRedisRun, runBullmqSwarm } from '../lib/redis/run-bullmq';
import { SwarmWorker } from '../lib/redis/swarm-worker';
import { freePort, startRedisServer } from '../lib/testing/redis-server';
import { tempDir } from './helpers/work';
import { startWorker, stopWorker, waitFor } from './helpers/redis';

const COORDINATOR = path.join(__dirname, '__fixtures__', 'coordinator.js');

const onePlan = { agents: [{ type: 'coder' }], tasks: [{ id: 'a', capability: 'coder', operation: { type: 'file.mkdir', params: { path: 'a' } } }] };

describe('when Redis is down', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let closedPort: number;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('redis-down'));
    closedPort = await freePort();
  });
  afterEach(() => cleanup());

  it('connecting fails at once with an error that names the URL and the reason', async () => {
    const url = `redis://127.0.0.1:${closedPort}`;
    await expect(connectRedis(url)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', message: `cannot reach Redis at ${url}: connection refused (is redis-server running there?)` });
  });

  it('a run, a worker and a status query fail with that error instead of waiting', async () => {
    const url = `redis://127.0.0.1:${closedPort}`;
    await expect(runBullmqSwarm(onePlan, { redis: url, dir })).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    await expect(SwarmWorker.start({ redis: url, dir })).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    await expect(readRedisRun(url, 'some-run')).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
  });

  it('a password in the URL is never printed', async () => {
    await expect(connectRedis(`redis://user:s3cret@127.0.0.1:${closedPort}`)).rejects.toThrow(`redis://user:***@127.0.0.1:${closedPort}`);
  });

  it('losing Redis mid-run ends the coordinator and the worker processes with an error once reconnecting has failed for the allowed time', async () => {
    const server = await startRedisServer();
    const worker = await startWorker({ redis: server.url, dir, extra: ['--reconnect-for', '500', '--heartbeat', '100'] });
    const planFile = path.join(dir, 'plan.json');
    await fsp.writeFile(planFile, JSON.stringify({ agents: [{ type: 'coder' }], tasks: [{ id: 'held', capability: 'coder', operation: { type: 'test.count', params: { gate: 'never' } } }] }));
    const coordinator = spawn(process.execPath, [COORDINATOR, server.url, dir, 'lost-run', planFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RECONNECT_FOR_MS: '500' } });
    let stderr = '';
    coordinator.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const coordinatorExit = new Promise<number | null>((resolve) => coordinator.once('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => (await fsp.readdir(dir)).some((f) => f.startsWith('started-held-')), 'the task to start');
      await server.stop();
      expect(await coordinatorExit).toBe(1);
      expect(stderr).toContain(`REDIS_UNAVAILABLE cannot reach Redis at ${server.url}: connection lost for more than 500 ms`);
      expect((await worker.exited).code).toBe(1);
      expect(worker.output()).toContain(`swarm-worker: REDIS_UNAVAILABLE: cannot reach Redis at ${server.url}: connection lost for more than 500 ms`);
    } finally {
      if (coordinator.exitCode === null) coordinator.kill('SIGKILL');
      await stopWorker(worker);
      await server.stop();
    }
  });
});
