import { connectRedis } from '../lib/redis/connection';
import { SwarmKeys } from '../lib/redis/keys';
import { runBullmqSwarm } from '../lib/redis/run-bullmq';
import type { SwarmEvent, TaskResult } from '../lib/model/types';
import { tempDir } from './helpers/work';
import { countRegistry, executionCounts, startWorker, stopWorker, useRedis, type WorkerProcess } from './helpers/redis';

/** 500 tasks over two capabilities with dependencies; the work is test.count, which logs every execution. */
function plan(topology: string) {
  const tasks = Array.from({ length: 500 }, (_, i) => {
    const dependsOn: string[] = [];
    if (i >= 10 && i % 4 === 0) dependsOn.push(`t${i - 10}`);
    if (i >= 25 && i % 7 === 0) dependsOn.push(`t${i - 25}`, `t${i - 3}`);
    return { id: `t${i}`, capability: i % 3 === 0 ? 'tester' : 'coder', ...(dependsOn.length ? { dependsOn } : {}), operation: { type: 'test.count' } };
  });
  return { topology, agents: [{ type: 'coder' }, { type: 'tester' }], tasks };
}

describe('bullmq backend with two worker processes', () => {
  const redis = useRedis();
  let dir: string;
  let cleanup: () => Promise<void>;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('bullmq-topologies'));
    workers = await Promise.all([startWorker({ redis: redis.url, dir }), startWorker({ redis: redis.url, dir })]);
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await cleanup();
  });

  it.each(['mesh', 'star', 'hierarchical', 'ring'])('%s: 500 tasks, each executed and recorded exactly once, on capable agents, after their dependencies', async (topology) => {
    const before = await executionCounts(dir);
    const ended = new Map<string, TaskResult>();
    const onEvent = (event: SwarmEvent) => {
      if (event.type === 'task:end') {
        expect(ended.has(event.result.id)).toBe(false);
        ended.set(event.result.id, event.result);
      }
    };
    const runPlan = plan(topology);
    const report = await runBullmqSwarm(runPlan, { redis: redis.url, dir, onEvent, tickMs: 200, registry: countRegistry() });

    expect(report.status).toBe('succeeded');
    expect(report.metrics).toMatchObject({ backend: 'bullmq', topology, tasks: 500, succeeded: 500, duplicates: 0 });
    expect(report.tasks.map((t) => t.id)).toEqual(runPlan.tasks.map((t) => t.id));
    const after = await executionCounts(dir);
    for (const task of runPlan.tasks) expect((after.get(task.id) ?? 0) - (before.get(task.id) ?? 0)).toBe(1);

    const agents = new Map(report.agents.map((a) => [a.id, a]));
    for (const task of runPlan.tasks) {
      const result = ended.get(task.id) as TaskResult;
      expect(agents.get(result.agent as string)?.capabilities).toContain(task.capability);
      for (const dep of task.dependsOn ?? []) expect((ended.get(dep) as TaskResult).finishedAt).toBeLessThanOrEqual(result.startedAt as number);
    }
    // Both worker processes took part.
    const byWorker = new Set(report.tasks.map((t) => t.agent?.split('.')[0]));
    expect(byWorker).toEqual(new Set(workers.map((w) => w.id)));
    expect(report.agents.reduce((sum, a) => sum + a.tasksDone, 0)).toBe(500);
  });

  it('ring: every stage passes items on in the order they entered the first, whatever their priority', async () => {
    const stages = ['researcher', 'coder', 'tester'];
    const tasks: Array<Record<string, unknown>> = [];
    for (let item = 0; item < 60; item++) {
      for (const [k, stage] of stages.entries()) {
        tasks.push({ id: `${stage}-${item}`, capability: stage, priority: item, ...(k > 0 ? { dependsOn: [`${stages[k - 1]}-${item}`] } : {}), operation: { type: 'test.count', params: { holdMs: (item * 7) % 5 } } });
      }
    }
    // A prefix of its own: this worker's three agents (one per stage) are the whole ring.
    const prefix = 'ringtest';
    const extra = await startWorker({ redis: redis.url, dir, agents: 3, types: 'researcher,coder,tester', extra: ['--prefix', prefix] });
    const client = await connectRedis(redis.url);
    try {
      const ended: string[] = [];
      const report = await runBullmqSwarm(
        { topology: 'ring', agents: stages.map((type) => ({ type })), tasks },
        { redis: redis.url, dir, prefix, tickMs: 200, registry: countRegistry(), onEvent: (e) => e.type === 'task:end' && ended.push(e.result.id) },
      );
      expect(report.status).toBe('succeeded');
      const ascending = Array.from({ length: 60 }, (_, i) => i);
      const items = (stage: string, ids: string[]) => ids.filter((id) => id.startsWith(`${stage}-`)).map((id) => Number(id.split('-')[1]));
      // The order in which the coordinator queued each stage's tasks...
      const records = await client.hgetall(new SwarmKeys(prefix).dispatch(report.runId));
      const queued = Object.entries(records)
        .map(([id, json]) => ({ id, seq: (JSON.parse(json) as { seq: number }).seq }))
        .sort((a, b) => a.seq - b.seq)
        .map((r) => r.id);
      // ...and the order they finished in: plan order at every stage, although priorities say the opposite.
      for (const stage of stages) {
        expect(items(stage, queued)).toEqual(ascending);
        expect(items(stage, ended)).toEqual(ascending);
      }
      for (const task of report.tasks) expect(task.agent).toBe(`${extra.id}.${task.id.split('-')[0]}-1`);
    } finally {
      client.disconnect();
      await stopWorker(extra);
    }
  });
});
