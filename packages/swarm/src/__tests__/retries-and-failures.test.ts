import { defineMode, ModeRegistry } from '@sparc/batch-core';
import { z } from 'zod';
import { runLocalSwarm } from '../lib/local/local-swarm';
import type { SwarmEvent } from '../lib/model/types';
import { tempDir, workRegistry } from './helpers/work';

const failingMode = defineMode({
  name: 'always-fails',
  summary: 'Reports a failure',
  options: z.object({}),
  async run() {
    return { status: 'failed', summary: 'found 2 blocking problems', findings: [{ severity: 'error', rule: 'x.y', message: 'bad' }], data: {}, artifacts: [] };
  },
});

describe('retries and failures', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('retries')));
  afterEach(() => cleanup());

  it.each(['mesh', 'star', 'hierarchical', 'ring'])('%s: retries per policy, reports what failed, skips dependents and goes on with the rest', async (topology) => {
    const { registry, executions } = workRegistry();
    const events: SwarmEvent[] = [];
    const work = (id: string, failTimes: number) => ({ type: 'test.work', params: { path: `out/${id}.txt`, content: id, failTimes } });
    const report = await runLocalSwarm(
      {
        topology,
        agents: [{ type: 'coder', count: 2 }, { type: 'tester', count: 1 }],
        tasks: [
          { id: 'flaky', capability: 'coder', operation: work('flaky', 2), retry: { attempts: 3, backoffMs: 1 } },
          { id: 'doomed', capability: 'coder', operation: work('doomed', 99), retry: { attempts: 2, backoffMs: 1 } },
          { id: 'no-retry', capability: 'tester', operation: work('no-retry', 1) },
          { id: 'after-doomed', capability: 'tester', dependsOn: ['doomed'], operation: work('after-doomed', 0) },
          { id: 'after-after', capability: 'coder', dependsOn: ['after-doomed'], operation: work('after-after', 0) },
          { id: 'after-flaky', capability: 'tester', dependsOn: ['flaky'], operation: work('after-flaky', 0) },
          { id: 'bad-edit', capability: 'coder', batch: { operations: [{ id: 'edit', type: 'file.edit', params: { path: 'missing.txt', edits: [{ old: 'a', new: 'b' }] } }] } },
          { id: 'mode-fails', capability: 'tester', mode: { name: 'always-fails' } },
          { id: 'slow', capability: 'coder', timeoutMs: 100, operation: { type: 'exec', params: { command: 'sleep', args: ['5'] } } },
        ],
      },
      { dir, registry, modes: new ModeRegistry().register(failingMode), onEvent: (e) => events.push(e) },
    );

    const task = (id: string) => report.tasks.find((t) => t.id === id);
    expect(report.status).toBe('partial');
    expect(task('flaky')).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(executions.get('flaky')).toBe(3);
    expect(task('after-flaky')?.status).toBe('succeeded');

    expect(task('doomed')).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'PLANNED_FAILURE' } });
    expect(executions.get('doomed')).toBe(2);
    expect(task('no-retry')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(task('after-doomed')).toMatchObject({ status: 'skipped', agent: null, attempts: 0, error: { code: 'DEPENDENCY_FAILED', message: 'dependency "doomed" failed' } });
    expect(task('after-after')?.error?.message).toBe('dependency "after-doomed" was skipped');
    expect(executions.has('after-doomed')).toBe(false);

    expect(task('bad-edit')?.error?.code).toBe('BATCH_FAILED');
    expect(task('bad-edit')?.error?.message).toContain('operation "edit" failed');
    expect(task('mode-fails')).toMatchObject({ status: 'failed', error: { code: 'MODE_FAILED', message: 'found 2 blocking problems' } });
    expect(task('slow')).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });

    const retries = events.filter((e) => e.type === 'task:retry');
    expect(retries.map((e) => (e as { id: string }).id).sort()).toEqual(['doomed', 'flaky', 'flaky']);
    expect(report.metrics).toMatchObject({ tasks: 9, succeeded: 2, failed: 5, skipped: 2, retries: 3 });
    const failedAttempts = report.agents.reduce((sum, a) => sum + a.tasksFailed, 0);
    // 2 of flaky, 2 of doomed, no-retry, bad-edit, mode-fails, slow.
    expect(failedAttempts).toBe(8);
  });

  it('rejects a plan whose batches or modes cannot run, before anything runs', async () => {
    const { registry, executions } = workRegistry();
    await expect(
      runLocalSwarm(
        {
          agents: [{ type: 'coder' }],
          tasks: [
            { id: 'fine', capability: 'coder', operation: { type: 'test.work', params: { path: 'a', content: 'a' } } },
            { id: 'bad-op', capability: 'coder', operation: { type: 'no.such.type' } },
            { id: 'bad-mode', capability: 'coder', mode: { name: 'nope' } },
          ],
        },
        { dir, registry, modes: new ModeRegistry() },
      ),
    ).rejects.toThrow(/tasks\[1\]\.operation: task "bad-op": .*unknown operation type "no.such.type".*tasks\[2\]\.mode: task "bad-mode": unknown mode "nope"/);
    expect(executions.size).toBe(0);
  });

  it('fails a local plan whose capability no agent has, naming both', async () => {
    await expect(runLocalSwarm({ agents: [{ type: 'coder' }], tasks: [{ id: 'x', capability: 'tester', operation: { type: 'file.mkdir', params: { path: 'a' } } }] }, { dir })).rejects.toThrow(
      'tasks[0].capability: no agent has capability "tester" (agents have: coder)',
    );
  });
});
