import { promises as fsp } from 'node:fs';
import { formatIssuePath, type ValidationIssue } from '@sparc/batch-core';
import type { z } from 'zod';
import { PlanError } from '../errors';
import type { TaskDef, Topology } from '../model/types';
import { expandComponents } from './components';
import { planSchema, taskSpecSchema } from './schema';

export interface PlanAgent {
  type: string;
  count: number;
  /** The type first, then the extra capabilities. */
  capabilities: string[];
  concurrency: number;
}

/** A validated plan: every task has one payload, known dependencies and no cycle. */
export interface SwarmPlan {
  topology: Topology;
  agents: PlanAgent[];
  tasks: TaskDef[];
}

function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return { path: formatIssuePath(issue.path), message };
  });
}

function fail(issues: ValidationIssue[]): never {
  const lines = issues.slice(0, 20).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 20 ? `; and ${issues.length - 20} more` : '';
  throw new PlanError(`invalid plan: ${lines.join('; ')}${more}`, issues);
}

/** Validates a plan document (already parsed from JSON) and expands its components. */
export function parsePlan(input: unknown): SwarmPlan {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) fail(issuesOf(parsed.error));
  const plan = parsed.data;

  const expanded = plan.components ? expandComponents(plan.components) : { agents: [], tasks: [] };
  const agents: PlanAgent[] = [...plan.agents, ...expanded.agents].map((a) => ({
    type: a.type,
    count: a.count,
    capabilities: [a.type, ...(a.capabilities ?? []).filter((c) => c !== a.type)].filter((c, i, all) => all.indexOf(c) === i),
    concurrency: a.concurrency,
  }));

  const rawTasks = [...plan.tasks, ...expanded.tasks.map((t) => taskSpecSchema.parse(t))];
  if (rawTasks.length === 0) fail([{ path: 'tasks', message: 'the plan has no tasks (give "tasks" or "components")' }]);

  const tasks: TaskDef[] = rawTasks.map((t, seq) => {
    const kind = t.batch !== undefined ? 'batch' : t.operation !== undefined ? 'operation' : 'mode';
    return {
      id: t.id,
      capability: t.capability,
      kind,
      ...(t.batch !== undefined ? { batch: t.batch } : {}),
      ...(t.operation !== undefined ? { operation: t.operation } : {}),
      ...(t.mode !== undefined ? { mode: t.mode } : {}),
      dependsOn: [...new Set(t.dependsOn ?? [])],
      priority: t.priority ?? 0,
      ...(t.retry !== undefined ? { retry: t.retry } : {}),
      ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
      seq,
    };
  });

  checkGraph(tasks, plan.tasks.length);
  return { topology: plan.topology, agents, tasks };
}

/** Where a task came from, for messages: `tasks[3]` or the component task's id. */
function where(task: TaskDef, declared: number): string {
  return task.seq < declared ? `tasks[${task.seq}]` : `component task "${task.id}"`;
}

function checkGraph(tasks: TaskDef[], declared: number): void {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, TaskDef>();
  for (const task of tasks) {
    const first = byId.get(task.id);
    if (first) issues.push({ path: `${where(task, declared)}.id`, message: `duplicate task id "${task.id}" (first at ${where(first, declared)})` });
    else byId.set(task.id, task);
  }
  for (const task of tasks) {
    task.dependsOn.forEach((dep, i) => {
      if (dep === task.id) issues.push({ path: `${where(task, declared)}.dependsOn[${i}]`, message: `task "${task.id}" depends on itself` });
      else if (!byId.has(dep)) issues.push({ path: `${where(task, declared)}.dependsOn[${i}]`, message: `task "${task.id}" depends on unknown task "${dep}"` });
    });
  }
  if (issues.length > 0) fail(issues);
  const cycle = findCycle(tasks, byId);
  if (cycle) throw new PlanError(`invalid plan: dependency cycle: ${cycle.join(' -> ')}`, [{ path: 'tasks', message: `dependency cycle: ${cycle.join(' -> ')}` }], 'DEPENDENCY_CYCLE');
}

/** An iterative depth-first search (plans can be long chains), returning the first cycle as ids. */
function findCycle(tasks: TaskDef[], byId: Map<string, TaskDef>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const root of tasks) {
    if (state.has(root.id)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }];
    state.set(root.id, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const deps = (byId.get(frame.id) as TaskDef).dependsOn;
      if (frame.next >= deps.length) {
        state.set(frame.id, 2);
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++];
      const seen = state.get(dep);
      if (seen === 1) {
        const from = stack.findIndex((f) => f.id === dep);
        return [...stack.slice(from).map((f) => f.id), dep];
      }
      if (seen === undefined) {
        state.set(dep, 1);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return undefined;
}

/** Every task's capability is held by at least one agent of the plan (the local backend's agents all come from it). */
export function assertCapabilitiesCovered(plan: SwarmPlan): void {
  const held = new Set(plan.agents.flatMap((a) => a.capabilities));
  if (plan.agents.length === 0) {
    throw new PlanError('invalid plan: the local backend needs "agents" (e.g. [{ "type": "coder", "count": 2 }])', [{ path: 'agents', message: 'no agents' }], 'NO_AGENTS');
  }
  const issues: ValidationIssue[] = [];
  for (const task of plan.tasks) {
    if (!held.has(task.capability)) {
      issues.push({ path: `tasks[${task.seq}].capability`, message: `no agent has capability "${task.capability}" (agents have: ${[...held].join(', ')})` });
    }
  }
  if (issues.length > 0) fail(issues);
}

/** The plan as a document `parsePlan` accepts again (stored with a run so it can be resumed). */
export function planToDocument(plan: SwarmPlan): Record<string, unknown> {
  return {
    topology: plan.topology,
    agents: plan.agents.map((a) => ({ type: a.type, count: a.count, capabilities: a.capabilities, concurrency: a.concurrency })),
    tasks: plan.tasks.map((t) => ({
      id: t.id,
      capability: t.capability,
      [t.kind]: t.kind === 'batch' ? t.batch : t.kind === 'operation' ? t.operation : t.mode,
      ...(t.dependsOn.length > 0 ? { dependsOn: t.dependsOn } : {}),
      ...(t.priority !== 0 ? { priority: t.priority } : {}),
      ...(t.retry ? { retry: t.retry } : {}),
      ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
    })),
  };
}

/** Reads and validates a plan file (JSON). */
export async function loadPlan(file: string): Promise<SwarmPlan> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanError(`cannot read plan file "${file}": ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, [], 'PLAN_UNREADABLE');
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PlanError(`plan file "${file}" is not valid JSON: ${(error as Error).message}`, [], 'PLAN_NOT_JSON');
  }
  return parsePlan(document);
}
