import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startRedisServer, type RedisServerHandle } from '@sparc/swarm';
import { makeWorkspace, runCli, startCli } from '../cli/__tests__/run-cli';
import { startCliWorker, stopChild, waitFor, writePlan, type CliWorker, type SwarmJson } from './swarm-helpers';

/** Short locks and checks, so a dead worker's task is taken over within seconds. */
const FAST = ['--lock-duration', '1500', '--stalled-interval', '500', '--heartbeat', '250'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('sparc swarm on bullmq (Redis)', () => {
  let redis: RedisServerHandle;
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  let workers: CliWorker[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => ({ root, ws, cleanup } = await makeWorkspace()));
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopChild(w.child)));
    workers = [];
    await cleanup();
  });

  it('two `sparc swarm worker`s, one killed with SIGKILL mid-run: its task runs on the other, every task completes exactly once', async () => {
    workers = await Promise.all([0, 1].map(() => startCliWorker(['--dir', ws, '--redis', redis.url, '--agents', '2', '--types', 'coder,tester', ...FAST])));
    // The gated task notes which worker runs it ($PPID: the worker process), then waits for the gate.
    const gated = { command: 'echo $PPID > started-gated; while [ ! -f gate-open ]; do sleep 0.05; done', shell: true };
    const tasks = [
      { id: 'gated', capability: 'coder', priority: 10, operation: { type: 'exec', params: gated } },
      ...Array.from({ length: 80 }, (_, i) => ({ id: `w${i}`, capability: i % 2 ? 'coder' : 'tester', ...(i >= 10 ? { dependsOn: [`w${i - 10}`] } : {}), operation: { type: 'file.write', params: { path: `out/${i}.txt`, content: `${i}` } } })),
    ];
    const file = await writePlan(root, { agents: [{ type: 'coder' }, { type: 'tester' }], tasks });
    const coordinator = startCli(['swarm', 'run', '--backend', 'bullmq', '--redis', redis.url, '--dir', ws, '--plan', file, '--json', '--run-id', 'killed-worker']);

    const marker = path.join(ws, 'started-gated');
    await waitFor(async () => (await fsp.readFile(marker, 'utf8').catch(() => '')).trim() !== '', 'the gated task to start');
    const victimPid = Number((await fsp.readFile(marker, 'utf8')).trim());
    const victim = workers.find((w) => w.child.pid === victimPid) as CliWorker;
    const survivor = workers.find((w) => w !== victim) as CliWorker;
    expect(victim).toBeDefined();
    await fsp.rm(marker);
    victim.child.kill('SIGKILL');
    await victim.done;
    // Let the survivor's run of the task finish (the orphaned shell of the dead worker ends too).
    await fsp.writeFile(path.join(ws, 'gate-open'), '');

    const run = await coordinator.done;
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as SwarmJson;
    expect(Object.keys(report)).toEqual(['runId', 'status', 'tasks', 'agents', 'metrics']);
    expect(report).toMatchObject({ runId: 'killed-worker', status: 'succeeded', metrics: { backend: 'bullmq', tasks: 81, succeeded: 81, duplicates: 0 } });
    expect(report.tasks.map((t) => t.id)).toEqual(tasks.map((t) => t.id));
    const gatedResult = report.tasks.find((t) => t.id === 'gated');
    expect(gatedResult?.attempts).toBe(2);
    expect(gatedResult?.agent?.startsWith(`${survivor.id}.`)).toBe(true);
    expect(Number((await fsp.readFile(marker, 'utf8')).trim())).toBe(survivor.child.pid);
    expect(await fsp.readdir(path.join(ws, 'out'))).toHaveLength(80);

    // Status after the fact, from Redis.
    const status = runCli(['swarm', 'status', 'killed-worker', '--redis', redis.url, '--json']);
    expect(status.status).toBe(0);
    expect((JSON.parse(status.stdout) as SwarmJson).tasks).toEqual(report.tasks);

    // A worker stops cleanly on SIGTERM.
    survivor.child.kill('SIGTERM');
    const stopped = await survivor.done;
    expect(stopped.status).toBe(0);
    expect(stopped.stdout).toContain(`worker ${survivor.id} stopped`);
  });

  it('a coordinator restarted with --resume picks the run up from Redis: nothing done twice, nothing lost', async () => {
    workers = [await startCliWorker(['--dir', ws, '--redis', redis.url, '--agents', '2', '--types', 'coder', ...FAST])];
    // Two chains of short commands: the run needs its coordinator to hand out each next step.
    const tasks = Array.from({ length: 40 }, (_, i) => ({
      id: `s${i}`,
      capability: 'coder',
      ...(i >= 2 ? { dependsOn: [`s${i - 2}`] } : {}),
      operation: { type: 'exec', params: { command: `echo s${i} >> steps.log; sleep 0.05`, shell: true } },
    }));
    const file = await writePlan(root, { agents: [{ type: 'coder' }], tasks });
    const first = startCli(['swarm', 'run', '--backend', 'bullmq', '--redis', redis.url, '--dir', ws, '--plan', file, '--run-id', 'restarted']);
    const steps = path.join(ws, 'steps.log');
    await waitFor(async () => (await fsp.readFile(steps, 'utf8').catch(() => '')).split('\n').length > 8, 'some steps to run');
    first.child.kill('SIGKILL');
    await first.done;

    const resumed = runCli(['swarm', 'run', '--resume', 'restarted', '--redis', redis.url, '--dir', ws, '--json']);
    expect(resumed.status).toBe(0);
    const report = JSON.parse(resumed.stdout) as SwarmJson;
    expect(report).toMatchObject({ runId: 'restarted', status: 'succeeded', metrics: { tasks: 40, succeeded: 40 } });
    expect(report.tasks.every((t) => t.attempts === 1)).toBe(true);
    const ran = (await fsp.readFile(steps, 'utf8')).trim().split('\n');
    expect(ran.sort()).toEqual(tasks.map((t) => t.id).sort());
  });

  it('a Redis that is down gives a clear error at once (exit 1), for run, worker and status', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const file = await writePlan(root, { agents: [{ type: 'coder' }], tasks: [{ id: 'a', capability: 'coder', operation: { type: 'file.mkdir', params: { path: 'a' } } }] });
    const expected = `sparc: REDIS_UNAVAILABLE: cannot reach Redis at ${url}: connection refused (is redis-server running there?)\n`;
    for (const args of [
      ['swarm', 'run', '--backend', 'bullmq', '--redis', url, '--dir', ws, '--plan', file],
      ['swarm', 'worker', '--redis', url, '--dir', ws],
      ['swarm', 'status', 'any', '--redis', url],
    ]) {
      const run = runCli(args);
      expect({ args, status: run.status, stderr: run.stderr }).toEqual({ args, status: 1, stderr: expected });
    }
  });
});
