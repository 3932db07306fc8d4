import { PlanError } from '../errors';
import { assertCapabilitiesCovered, parsePlan, planToDocument } from './parse-plan';

const op = { type: 'file.mkdir', params: { path: 'x' } };

function planError(input: unknown): PlanError {
  try {
    parsePlan(input);
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('the plan was accepted');
}

describe('parsePlan', () => {
  it('fills in defaults: mesh, count 1, concurrency 1, capabilities include the type', () => {
    const plan = parsePlan({ agents: [{ type: 'coder', capabilities: ['typescript', 'coder'] }], tasks: [{ id: 'a', capability: 'coder', operation: op }] });
    expect(plan.topology).toBe('mesh');
    expect(plan.agents).toEqual([{ type: 'coder', count: 1, capabilities: ['coder', 'typescript'], concurrency: 1 }]);
    expect(plan.tasks[0]).toEqual({ id: 'a', capability: 'coder', kind: 'operation', operation: op, dependsOn: [], priority: 0, seq: 0 });
  });

  it('names the field and the problem for schema errors', () => {
    const error = planError({ topology: 'blob', agents: [{ type: 'coder', count: 0 }], tasks: [{ id: 'has space', capability: 'coder', operation: op, extra: 1 }] });
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['topology', 'agents[0].count', 'tasks[0].id', 'tasks[0]']));
    expect(error.message).toContain('tasks[0]: unknown field(s) "extra"');
    expect(error.code).toBe('INVALID_PLAN');
  });

  it('wants exactly one of batch, operation and mode', () => {
    expect(planError({ tasks: [{ id: 'a', capability: 'c' }] }).message).toContain('tasks[0]: needs one of "batch", "operation" or "mode"');
    expect(planError({ tasks: [{ id: 'a', capability: 'c', operation: op, mode: { name: 'm' } }] }).message).toContain('tasks[0].mode: has both "operation" and "mode"; give exactly one');
  });

  it('rejects duplicate ids, unknown and self dependencies', () => {
    const error = planError({
      tasks: [
        { id: 'a', capability: 'c', operation: op },
        { id: 'a', capability: 'c', operation: op },
        { id: 'b', capability: 'c', operation: op, dependsOn: ['nope', 'b'] },
      ],
    });
    expect(error.issues).toEqual([
      { path: 'tasks[1].id', message: 'duplicate task id "a" (first at tasks[0])' },
      { path: 'tasks[2].dependsOn[0]', message: 'task "b" depends on unknown task "nope"' },
      { path: 'tasks[2].dependsOn[1]', message: 'task "b" depends on itself' },
    ]);
  });

  it('spells out a dependency cycle', () => {
    const error = planError({
      tasks: [
        { id: 'a', capability: 'c', operation: op, dependsOn: ['c'] },
        { id: 'b', capability: 'c', operation: op, dependsOn: ['a'] },
        { id: 'c', capability: 'c', operation: op, dependsOn: ['b'] },
      ],
    });
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.message).toBe('invalid plan: dependency cycle: a -> c -> b -> a');
  });

  it('handles a 10,000-task chain without deep recursion', () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) => ({ id: `t${i}`, capability: 'c', operation: op, ...(i > 0 ? { dependsOn: [`t${i - 1}`] } : {}) }));
    expect(parsePlan({ tasks }).tasks).toHaveLength(10_000);
  });

  it('needs tasks', () => {
    expect(planError({ agents: [{ type: 'coder' }] }).message).toContain('tasks: the plan has no tasks');
  });

  it('expands components into agents and mode tasks, in order within a component, side by side across components', () => {
    const plan = parsePlan({
      components: [
        { name: 'backend', modes: ['architect', 'code', { name: 'tdd', options: { coverage: true } }], agents: 3 },
        { name: 'docs', modes: ['spec', 'spec'], type: 'documenter', parallel: true },
        { name: 'release', modes: ['integration'], dependsOn: ['backend', 'docs'] },
      ],
    });
    expect(plan.agents).toEqual([
      { type: 'coder', count: 3, capabilities: ['coder', 'backend'], concurrency: 1 },
      { type: 'documenter', count: 1, capabilities: ['documenter', 'docs'], concurrency: 1 },
      { type: 'coder', count: 1, capabilities: ['coder', 'release'], concurrency: 1 },
    ]);
    expect(plan.tasks.map((t) => [t.id, t.capability, t.mode?.name, t.dependsOn])).toEqual([
      ['backend.architect', 'backend', 'architect', []],
      ['backend.code', 'backend', 'code', ['backend.architect']],
      ['backend.tdd', 'backend', 'tdd', ['backend.code']],
      ['docs.spec', 'docs', 'spec', []],
      ['docs.spec-2', 'docs', 'spec', []],
      ['release.integration', 'release', 'integration', ['backend.tdd', 'docs.spec', 'docs.spec-2']],
    ]);
    expect(plan.tasks[2].mode?.options).toEqual({ coverage: true });
  });

  it('round-trips through planToDocument (what a run stores to be resumed)', () => {
    const plan = parsePlan({
      topology: 'ring',
      agents: [{ type: 'coder', count: 2, concurrency: 3 }],
      tasks: [
        { id: 'a', capability: 'coder', batch: { operations: [op] }, retry: { attempts: 2, backoffMs: 5 }, priority: 3, timeoutMs: 100 },
        { id: 'b', capability: 'coder', mode: { name: 'm', options: { x: 1 }, command: 'scan' }, dependsOn: ['a'] },
      ],
    });
    expect(parsePlan(planToDocument(plan))).toEqual(plan);
  });
});

describe('assertCapabilitiesCovered', () => {
  it('names the task, the capability and what the agents have', () => {
    const plan = parsePlan({ agents: [{ type: 'coder', capabilities: ['ts'] }], tasks: [{ id: 'a', capability: 'go', operation: op }] });
    expect(() => assertCapabilitiesCovered(plan)).toThrow('tasks[0].capability: no agent has capability "go" (agents have: coder, ts)');
  });

  it('wants agents at all', () => {
    const plan = parsePlan({ tasks: [{ id: 'a', capability: 'go', operation: op }] });
    expect(() => assertCapabilitiesCovered(plan)).toThrow(/needs "agents"/);
  });
});
