import type { AgentDef, Route, TaskDef } from '../model/types';
import { FifoTaskQueue, PriorityTaskQueue } from '../scheduling/task-queue';
import { hierarchicalRouter, meshRouter, ringRouter, routeKey, starRouter, type RoutingView } from './routing';

const agent = (id: string, type: string, group: string, extra: Partial<AgentDef> = {}): AgentDef => ({ id, type, capabilities: [type, ...(extra.capabilities ?? [])], concurrency: extra.concurrency ?? 1, group });
const task = (id: string, capability: string, priority = 0, seq = 0): TaskDef => ({ id, capability, kind: 'operation', operation: {}, dependsOn: [], priority, seq });

function view(agents: AgentDef[], load: Record<string, number> = {}, total: Record<string, number> = {}, open = false): RoutingView {
  return { agents, stages: [...new Set(agents.map((a) => a.type))], open, load: (r: Route) => load[routeKey(r)] ?? 0, total: (r: Route) => total[routeKey(r)] ?? 0 };
}

describe('routers', () => {
  const agents = [agent('c1', 'coder', 'A'), agent('c2', 'coder', 'A'), agent('c3', 'coder', 'B', { concurrency: 4 }), agent('t1', 'tester', 'B')];

  it('mesh sends a task to its capability queue, or nowhere when nobody has it (unless agents may still join)', () => {
    expect(meshRouter.route(task('x', 'coder'), view(agents))).toEqual({ kind: 'capability', capability: 'coder' });
    expect(meshRouter.route(task('x', 'go'), view(agents))).toBeUndefined();
    expect(meshRouter.route(task('x', 'go'), view(agents, {}, {}, true))).toEqual({ kind: 'capability', capability: 'go' });
  });

  it('star picks the capable agent with the least load per slot, then the fewest tasks so far', () => {
    expect(starRouter.route(task('x', 'coder'), view(agents, { 'agent-c1': 1, 'agent-c2': 1, 'agent-c3': 3 }))).toEqual({ kind: 'agent', agent: 'c3' });
    expect(starRouter.route(task('x', 'coder'), view(agents, { 'agent-c1': 1, 'agent-c2': 1, 'agent-c3': 4 }, { 'agent-c1': 9, 'agent-c2': 2, 'agent-c3': 12 }))).toEqual({ kind: 'agent', agent: 'c2' });
    expect(starRouter.route(task('x', 'tester'), view(agents, { 'agent-t1': 50 }))).toEqual({ kind: 'agent', agent: 't1' });
  });

  it('hierarchical picks the group with the least load per capable slot', () => {
    // Group A: 2 coder slots; group B: 4 coder slots.
    expect(hierarchicalRouter.route(task('x', 'coder'), view(agents, { 'group-A': 1, 'group-B': 3 }))).toEqual({ kind: 'group', group: 'A' });
    expect(hierarchicalRouter.route(task('x', 'coder'), view(agents, { 'group-A': 2, 'group-B': 3 }))).toEqual({ kind: 'group', group: 'B' });
    expect(hierarchicalRouter.route(task('x', 'tester'), view(agents, { 'group-B': 100 }))).toEqual({ kind: 'group', group: 'B' });
  });

  it('ring enters at the first capable stage, or the next one after where the dependency finished, wrapping around', () => {
    const ring = [agent('r1', 'researcher', 'R'), agent('c1', 'coder', 'C', { capabilities: ['review'] }), agent('t1', 'tester', 'T', { capabilities: ['review'] })];
    expect(ringRouter.route(task('x', 'review'), view(ring))).toEqual({ kind: 'stage', stage: 'coder' });
    expect(ringRouter.route(task('x', 'review'), view(ring), 'coder')).toEqual({ kind: 'stage', stage: 'tester' });
    expect(ringRouter.route(task('x', 'review'), view(ring), 'tester')).toEqual({ kind: 'stage', stage: 'coder' });
    expect(ringRouter.route(task('x', 'researcher'), view(ring), 'researcher')).toEqual({ kind: 'stage', stage: 'researcher' });
    expect(ringRouter.ordered).toBe(true);
  });
});

describe('task queues', () => {
  it('a priority queue serves higher priority first, then plan order', () => {
    const queue = new PriorityTaskQueue();
    const tasks = [task('a', 'c', 0, 0), task('b', 'c', 5, 1), task('c', 'c', 0, 2), task('d', 'c', 5, 3), task('e', 'c', -1, 4)];
    for (const t of [tasks[2], tasks[4], tasks[0], tasks[3], tasks[1]]) queue.push(t);
    expect(Array.from({ length: 5 }, () => queue.pop()?.id)).toEqual(['b', 'd', 'a', 'c', 'e']);
    expect(queue.pop()).toBeUndefined();
  });

  it('a FIFO queue serves in arrival order, lets an agent skip what it cannot do, and puts a retry back in front', () => {
    const queue = new FifoTaskQueue();
    for (const t of [task('a', 'x'), task('b', 'y'), task('c', 'x')]) queue.push(t);
    expect(queue.takeFirst((t) => t.capability === 'y')?.id).toBe('b');
    expect(queue.takeFirst(() => true)?.id).toBe('a');
    queue.pushFront(task('a', 'x'));
    expect([queue.takeFirst(() => true)?.id, queue.takeFirst(() => true)?.id, queue.size]).toEqual(['a', 'c', 0]);
  });
});
