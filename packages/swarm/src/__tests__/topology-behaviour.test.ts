import { runLocalSwarm } from '../lib/local/local-swarm';
import type { SwarmEvent, SwarmReport } from '../lib/model/types';
import { eventLog, tempDir, workRegistry } from './helpers/work';

/** 1 task that blocks its agent until the test opens the gate, then 99 ordinary ones. */
function blockedAgentPlan(topology: string) {
  const tasks = [
    { id: 'blocker', capability: 'coder', priority: 100, operation: { type: 'test.work', params: { path: 'out/blocker.txt', content: 'b', gate: 'g' } } },
    ...Array.from({ length: 99 }, (_, i) => ({ id: `w${i}`, capability: 'coder', operation: { type: 'test.work', params: { path: `out/w${i}.txt`, content: String(i) } } })),
  ];
  return { topology, agents: [{ type: 'coder', count: 4 }], tasks };
}

/** Runs the plan; opens the gate once `openAfter` other tasks have ended. */
async function runWithGate(dir: string, topology: string, openAfter: number): Promise<{ report: SwarmReport; endedBeforeGate: number }> {
  const { registry, gates } = workRegistry();
  let open!: () => void;
  gates.set('g', new Promise<void>((resolve) => (open = resolve)));
  let ended = 0;
  let endedBeforeGate = -1;
  const onEvent = (event: SwarmEvent) => {
    if (event.type !== 'task:end' || event.result.id === 'blocker') return;
    ended++;
    if (ended === openAfter) {
      endedBeforeGate = ended;
      open();
    }
  };
  const report = await runLocalSwarm(blockedAgentPlan(topology), { dir, registry, onEvent });
  return { report, endedBeforeGate };
}

describe('what the topologies change', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('behaviour')));
  afterEach(() => cleanup());

  it('mesh: agents pull from one shared queue, so a blocked agent does not hold up any other task', async () => {
    const { report, endedBeforeGate } = await runWithGate(dir, 'mesh', 99);
    expect(report.status).toBe('succeeded');
    // All 99 other tasks finished while the blocker still held its agent.
    expect(endedBeforeGate).toBe(99);
    const blocker = report.tasks.find((t) => t.id === 'blocker');
    const blockedAgent = report.agents.find((a) => a.id === blocker?.agent);
    expect(blockedAgent?.tasksDone).toBe(1);
    expect(report.tasks.filter((t) => t.agent === blocker?.agent)).toHaveLength(1);
  });

  it('star: the dispatcher pushes each task to the least-loaded agent, so every agent gets an equal share, queued behind whatever it runs', async () => {
    // Only the other three agents' 75 tasks can finish while the blocker holds its agent.
    const { report, endedBeforeGate } = await runWithGate(dir, 'star', 75);
    expect(report.status).toBe('succeeded');
    expect(endedBeforeGate).toBe(75);
    expect(report.agents.map((a) => a.tasksDone)).toEqual([25, 25, 25, 25]);
    const blocker = report.tasks.find((t) => t.id === 'blocker');
    expect(report.tasks.filter((t) => t.agent === blocker?.agent)).toHaveLength(25);
  });

  it('star: load is relative to concurrency, so an agent with twice the slots gets twice the tasks', async () => {
    const tasks = Array.from({ length: 200 }, (_, i) => ({ id: `t${i}`, capability: 'coder', operation: { type: 'file.write', params: { path: `out/${i}.txt`, content: 'x' } } }));
    const report = await runLocalSwarm({ topology: 'star', agents: [{ type: 'coder', count: 2 }, { type: 'coder', count: 1, concurrency: 2 }], tasks }, { dir });
    expect(report.status).toBe('succeeded');
    expect(report.agents.map((a) => [a.id, a.tasksDone])).toEqual([
      ['coder-1', 50],
      ['coder-2', 50],
      ['coder-3', 100],
    ]);
  });

  it('hierarchical: the top coordinator splits work between groups by capacity, and each group keeps what it was given', async () => {
    const tasks = Array.from({ length: 500 }, (_, i) => ({ id: `t${i}`, capability: 'coder', operation: { type: 'file.write', params: { path: `out/${i}.txt`, content: 'x' } } }));
    const report = await runLocalSwarm(
      { topology: 'hierarchical', agents: [{ type: 'coder', count: 3 }, { type: 'coder', count: 1 }, { type: 'reviewer', count: 1, capabilities: ['coder'] }], tasks },
      { dir },
    );
    expect(report.status).toBe('succeeded');
    const byGroup = new Map<string, number>();
    for (const agent of report.agents) byGroup.set(agent.group, (byGroup.get(agent.group) ?? 0) + agent.tasksDone);
    expect(Object.fromEntries(byGroup)).toEqual({ 'coder.1': 300, 'coder.2': 100, reviewer: 100 });
    // Inside the three-agent group its coordinator spread the work over all its agents.
    for (const agent of report.agents.filter((a) => a.group === 'coder.1')) expect(agent.tasksDone).toBeGreaterThan(0);
  });

  describe('ring preserves stage order', () => {
    const stages = ['researcher', 'coder', 'tester', 'documenter'];
    /** 125 items, each passing through four stages; later items have higher priority, and sizes differ. */
    function pipelinePlan(topology: string) {
      const tasks: Array<Record<string, unknown>> = [];
      for (let item = 0; item < 125; item++) {
        stages.forEach((stage, k) => {
          tasks.push({
            id: `${stage}-${item}`,
            capability: stage,
            priority: item,
            ...(k > 0 ? { dependsOn: [`${stages[k - 1]}-${item}`] } : {}),
            operation: { type: 'test.work', params: { path: `out/${stage}/${item}.txt`, content: 'x'.repeat(((item * 7919) % 97) * 1000) } },
          });
        });
      }
      return {
        topology,
        agents: [
          { type: 'researcher', count: 2 },
          { type: 'coder', count: 2, concurrency: 2 },
          { type: 'tester', count: 1 },
          { type: 'documenter', count: 3 },
        ],
        tasks,
      };
    }
    const startOrder = (log: ReturnType<typeof eventLog>, stage: string) => log.starts.filter((s) => s.id.startsWith(`${stage}-`)).map((s) => Number(s.id.slice(stage.length + 1)));
    const ascending = Array.from({ length: 125 }, (_, i) => i);

    it('ring: every stage starts the items in the order they entered the first stage, whatever their priority', async () => {
      const { registry } = workRegistry();
      const log = eventLog();
      const report = await runLocalSwarm(pipelinePlan('ring'), { dir, registry, onEvent: log.onEvent });
      expect(report.status).toBe('succeeded');
      for (const stage of stages) expect(startOrder(log, stage)).toEqual(ascending);
      // Each stage's work was done by that stage's agents.
      for (const task of report.tasks) expect(task.agent?.startsWith(task.id.split('-')[0])).toBe(true);
    });

    it('mesh on the same plan follows priorities instead, so the order changes', async () => {
      const { registry } = workRegistry();
      const log = eventLog();
      const report = await runLocalSwarm(pipelinePlan('mesh'), { dir, registry, onEvent: log.onEvent });
      expect(report.status).toBe('succeeded');
      const first = startOrder(log, 'researcher');
      expect(first.slice(0, 3)).toEqual([124, 123, 122]);
      expect(first).not.toEqual(ascending);
    });
  });
});
