import { LocalSwarm } from '../lib/local/local-swarm';
import type { SwarmEvent } from '../lib/model/types';
import { tempDir, workRegistry } from './helpers/work';

function gatedPlan(topology: string, n: number, agents: Array<{ type: string; count: number }>) {
  return {
    topology,
    agents,
    tasks: [
      { id: 'blocker', capability: 'coder', priority: 10, operation: { type: 'test.work', params: { path: 'out/blocker', content: 'b', gate: 'g' } } },
      ...Array.from({ length: n - 1 }, (_, i) => ({ id: `w${i}`, capability: 'coder', operation: { type: 'test.work', params: { path: `out/w${i}`, content: 'w' } } })),
    ],
  };
}

/** A gate the blocker waits on, and a counter of other tasks ended. */
function gate() {
  const { registry, gates, executions } = workRegistry();
  let open!: () => void;
  gates.set('g', new Promise<void>((resolve) => (open = resolve)));
  let ended = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const onEvent = (event: SwarmEvent) => {
    if (event.type !== 'task:end' || event.result.id === 'blocker') return;
    ended++;
    for (const w of waiters.filter((w) => w.n <= ended)) w.resolve();
  };
  const endedAtLeast = (n: number) => (ended >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })));
  return { registry, executions, open: () => open(), onEvent, endedAtLeast };
}

describe('agents: spawn, terminate, status, counters', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('agents')));
  afterEach(() => cleanup());

  it('reports each agent busy or idle while the swarm runs, and its counters after', async () => {
    const g = gate();
    const swarm = await LocalSwarm.start(gatedPlan('mesh', 10, [{ type: 'coder', count: 2 }]), { dir, registry: g.registry, onEvent: g.onEvent });
    await g.endedAtLeast(9);
    const during = swarm.agents();
    const blockerAgent = during.find((a) => a.status === 'busy');
    expect(blockerAgent).toBeDefined();
    expect(during.filter((a) => a.status === 'idle')).toHaveLength(1);
    g.open();
    const report = await swarm.done;
    expect(report.agents.map((a) => a.status)).toEqual(['terminated', 'terminated']);
    expect(report.agents.find((a) => a.id === blockerAgent?.id)?.tasksDone).toBe(1);
    expect(report.agents.reduce((s, a) => s + a.tasksDone, 0)).toBe(10);
    for (const agent of report.agents) expect(agent.busyMs).toBeGreaterThan(0);
    expect(report.agents[0]).toMatchObject({ type: 'coder', capabilities: ['coder'], concurrency: 1, group: 'coder' });
  });

  it('spawns agents into a running swarm, which take the waiting work', async () => {
    const g = gate();
    const swarm = await LocalSwarm.start(gatedPlan('mesh', 40, [{ type: 'coder', count: 1 }]), { dir, registry: g.registry, onEvent: g.onEvent });
    const spawned = swarm.spawn({ type: 'coder', count: 2, capabilities: ['typescript'] });
    expect(spawned.map((a) => [a.id, a.group, a.capabilities])).toEqual([
      ['coder-2', 'coder.2', ['coder', 'typescript']],
      ['coder-3', 'coder.2', ['coder', 'typescript']],
    ]);
    await g.endedAtLeast(39);
    g.open();
    const report = await swarm.done;
    expect(report.status).toBe('succeeded');
    expect(report.agents.find((a) => a.id === 'coder-1')?.tasksDone).toBe(1);
    expect((report.agents.find((a) => a.id === 'coder-2')?.tasksDone ?? 0) + (report.agents.find((a) => a.id === 'coder-3')?.tasksDone ?? 0)).toBe(39);
  });

  it('terminating an agent hands the work queued for it to the others; it finishes what it runs', async () => {
    const g = gate();
    const swarm = await LocalSwarm.start(gatedPlan('star', 100, [{ type: 'coder', count: 2 }]), { dir, registry: g.registry, onEvent: g.onEvent });
    // Star queued half the work behind the blocker on coder-1.
    expect(swarm.terminate('coder-1')).toBe(true);
    expect(swarm.agents().find((a) => a.id === 'coder-1')?.status).toBe('terminating');
    await g.endedAtLeast(99);
    g.open();
    const report = await swarm.done;
    expect(report.status).toBe('succeeded');
    expect(report.tasks.find((t) => t.id === 'blocker')?.agent).toBe('coder-1');
    expect(report.tasks.filter((t) => t.agent === 'coder-2')).toHaveLength(99);
    expect(swarm.terminate('coder-1')).toBe(false);
  });

  it('terminating with force aborts the running task, which another agent then runs', async () => {
    const g = gate();
    const swarm = await LocalSwarm.start(gatedPlan('mesh', 5, [{ type: 'coder', count: 2 }]), { dir, registry: g.registry, onEvent: g.onEvent });
    await g.endedAtLeast(4);
    const holder = swarm.agents().find((a) => a.status === 'busy')?.id as string;
    g.open();
    // The gate is open now, but the aborted attempt is gone: the blocker runs again elsewhere.
    swarm.terminate(holder, { force: true });
    const report = await swarm.done;
    const blocker = report.tasks.find((t) => t.id === 'blocker');
    expect(blocker?.status).toBe('succeeded');
    expect(blocker?.agent).not.toBe(holder);
    expect(blocker?.attempts).toBe(2);
    expect(g.executions.get('blocker')).toBe(2);
  });

  it('cancelling the run ends running and waiting tasks as cancelled, without hanging', async () => {
    const g = gate();
    const controller = new AbortController();
    const swarm = await LocalSwarm.start(
      { ...gatedPlan('mesh', 20, [{ type: 'coder', count: 1 }]), tasks: gatedPlan('mesh', 20, []).tasks.map((t, i) => (i > 0 ? { ...t, dependsOn: ['blocker'] } : t)) },
      { dir, registry: g.registry, onEvent: g.onEvent, signal: controller.signal },
    );
    controller.abort(new Error('stop now'));
    const report = await swarm.done;
    expect(report.status).toBe('cancelled');
    expect(report.tasks.find((t) => t.id === 'blocker')).toMatchObject({ status: 'cancelled', agent: 'coder-1' });
    const others = report.tasks.filter((t) => t.id !== 'blocker');
    expect(others.every((t) => t.status === 'cancelled' && t.agent === null && t.error?.message === 'stop now')).toBe(true);
    expect(g.executions.size).toBe(1);
  });
});
