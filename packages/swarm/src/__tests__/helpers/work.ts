import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDefaultRegistry, defineHandler, defineMode, ModeRegistry, type OperationRegistry } from '@sparc/batch-core';
import { z } from 'zod';
import type { SwarmEvent, SwarmReport, TaskResult } from '../../lib/model/types';

/**
 * A registry with the built-in operations plus `test.work`: writes the file it is given (real
 * work on the workspace) and counts how often each operation id ran, so tests can tell "recorded
 * once" from "executed once". `failTimes` makes the first N executions fail.
 */
export function workRegistry(): { registry: OperationRegistry; executions: Map<string, number>; gates: Map<string, Promise<void>> } {
  const executions = new Map<string, number>();
  const gates = new Map<string, Promise<void>>();
  const registry = createDefaultRegistry();
  registry.register(
    defineHandler({
      type: 'test.work',
      params: z.strictObject({ path: z.string(), content: z.string(), failTimes: z.number().int().optional(), gate: z.string().optional() }),
      async run(params, ctx) {
        const n = (executions.get(ctx.opId) ?? 0) + 1;
        executions.set(ctx.opId, n);
        if (params.gate) {
          await new Promise<void>((resolve, reject) => {
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
            gates.get(params.gate as string)?.then(resolve, reject);
          });
        }
        if (params.failTimes !== undefined && n <= params.failTimes) throw Object.assign(new Error(`planned failure ${n} of ${params.failTimes}`), { code: 'PLANNED_FAILURE' });
        await ctx.files.writeFile(params.path, params.content);
        return { path: params.path, execution: n };
      },
    }),
  );
  return { registry, executions, gates };
}

/** A small real mode: counts the files under a folder and writes a report artifact; passes on what upstream modes said. */
export const countMode = defineMode({
  name: 'count-files',
  summary: 'Counts files under a folder',
  options: z.object({ folder: z.string().default('.') }),
  async run(ctx, options) {
    const entries = await fsp.readdir(ctx.workspace.resolve(options.folder)).catch(() => []);
    const upstream = Object.keys(ctx.upstream).sort();
    const artifact = await ctx.artifacts.write('count.json', JSON.stringify({ files: entries.length }));
    return { status: 'passed', summary: `${entries.length} files in ${options.folder}`, findings: [], data: { files: entries.length, upstream }, artifacts: [artifact] };
  },
});

export function testModes(): ModeRegistry {
  return new ModeRegistry().register(countMode);
}

export async function tempDir(label: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `sparc-swarm-${label}-`));
  return { dir, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export interface BigPlanOptions {
  tasks?: number;
  /** Every task's payload type is test.work (the counting handler) unless false: then file.write. */
  counting?: boolean;
  withModes?: boolean;
}

/**
 * 500 tasks over three capabilities, with dependencies (chains and fan-in), priorities, and
 * every kind of payload: operations, batches and (optionally) mode runs.
 */
export function bigPlan(topology: string, opts: BigPlanOptions = {}) {
  const n = opts.tasks ?? 500;
  const caps = ['researcher', 'coder', 'tester'];
  const tasks = Array.from({ length: n }, (_, i) => {
    const id = `t${String(i).padStart(3, '0')}`;
    const dependsOn: string[] = [];
    if (i >= 7 && i % 3 === 1) dependsOn.push(`t${String(i - 7).padStart(3, '0')}`);
    if (i >= 20 && i % 5 === 0) dependsOn.push(`t${String(i - 20).padStart(3, '0')}`, `t${String(i - 13).padStart(3, '0')}`);
    const base = { id, capability: caps[i % 3], ...(dependsOn.length ? { dependsOn } : {}), priority: (i * 37) % 11 };
    if (opts.withModes && i % 100 === 99) return { ...base, mode: { name: 'count-files', options: { folder: 'out' } } };
    if (i % 50 === 25) {
      return {
        ...base,
        batch: { operations: [{ id: 'w', type: 'file.write', params: { path: `out/${id}.txt`, content: `batch ${id}\n` } }, { id: 'r', type: 'file.read', dependsOn: ['w'], params: { path: `out/${id}.txt` } }] },
      };
    }
    const type = opts.counting === false ? 'file.write' : 'test.work';
    return { ...base, operation: { type, params: { path: `out/${id}.txt`, content: `op ${id}\n` } } };
  });
  return {
    topology,
    agents: [
      { type: 'researcher', count: 2 },
      { type: 'coder', count: 3, concurrency: 2 },
      { type: 'tester', count: 2 },
      { type: 'reviewer', count: 1, capabilities: ['coder', 'tester'] },
    ],
    tasks,
  };
}

/** Records the order of starts and ends as the swarm reports them. */
export function eventLog(): { onEvent(event: SwarmEvent): void; starts: Array<{ id: string; agent: string; at: number }>; ends: Map<string, number>; endOrder: TaskResult[] } {
  let clock = 0;
  const starts: Array<{ id: string; agent: string; at: number }> = [];
  const ends = new Map<string, number>();
  const endOrder: TaskResult[] = [];
  return {
    starts,
    ends,
    endOrder,
    onEvent(event) {
      clock++;
      if (event.type === 'task:start') starts.push({ id: event.id, agent: event.agent, at: clock });
      if (event.type === 'task:end') {
        ends.set(event.result.id, clock);
        endOrder.push(event.result);
      }
    },
  };
}

/** Every task has exactly one entry, ran on an agent with its capability, after all its dependencies ended. */
export function expectPlanHonoured(plan: ReturnType<typeof bigPlan>, report: SwarmReport, log: ReturnType<typeof eventLog>): void {
  expect(report.tasks.map((t) => t.id).sort()).toEqual(plan.tasks.map((t) => t.id).sort());
  expect(new Set(report.tasks.map((t) => t.id)).size).toBe(plan.tasks.length);
  const agents = new Map(report.agents.map((a) => [a.id, a]));
  const lastStart = new Map<string, number>();
  for (const start of log.starts) lastStart.set(start.id, start.at);
  for (const task of plan.tasks) {
    const entry = report.tasks.find((t) => t.id === task.id);
    expect(entry?.status).toBe('succeeded');
    const agent = agents.get(entry?.agent as string);
    expect(agent?.capabilities).toContain(task.capability);
    for (const dep of task.dependsOn ?? []) {
      expect(log.ends.get(dep)).toBeLessThan(lastStart.get(task.id) as number);
    }
  }
}
