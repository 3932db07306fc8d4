import type { AgentReport, Backend, RunStatus, SwarmReport, TaskDef, TaskReport, TaskResult, Topology } from './model/types';

export interface ReportInput {
  runId: string;
  topology: Topology;
  backend: Backend;
  tasks: readonly TaskDef[];
  results: ReadonlyMap<string, TaskResult>;
  agents: AgentReport[];
  /** Epoch ms. */
  startedAt: number;
  finishedAt?: number;
  /** Set while the run has not finished (running, or interrupted). */
  openStatus?: Extract<RunStatus, 'running' | 'interrupted'>;
  cancelled?: boolean;
  duplicates?: number;
  /** Tasks a worker has started and not finished (bullmq status). */
  running?: ReadonlySet<string>;
}

/** succeeded: every task did; failed: none did; partial: some did. */
export function runStatusOf(results: Iterable<TaskResult>, total: number, cancelled = false): RunStatus {
  let succeeded = 0;
  for (const result of results) if (result.status === 'succeeded') succeeded++;
  if (succeeded === total) return 'succeeded';
  if (cancelled) return 'cancelled';
  return succeeded === 0 ? 'failed' : 'partial';
}

/** The document `sparc swarm run --json` and `sparc swarm status RUN --json` print: one entry per task, in plan order. */
export function buildReport(input: ReportInput): SwarmReport {
  const tasks: TaskReport[] = input.tasks.map((task) => {
    const result = input.results.get(task.id);
    if (!result) return { id: task.id, status: input.running?.has(task.id) ? 'running' : 'pending', agent: null, attempts: 0, durationMs: 0 };
    return {
      id: task.id,
      status: result.status,
      agent: result.agent,
      attempts: result.attempts,
      durationMs: result.durationMs,
      ...(result.error && result.status !== 'succeeded' ? { error: result.error } : {}),
    };
  });
  const count = (status: string) => tasks.filter((t) => t.status === status).length;
  const finishedAt = input.finishedAt ?? Date.now();
  const wallMs = Math.max(0, finishedAt - input.startedAt);
  const busyMs = input.agents.reduce((sum, a) => sum + a.busyMs, 0);
  const slots = input.agents.reduce((sum, a) => sum + a.concurrency, 0);
  const attempts = tasks.reduce((sum, t) => sum + t.attempts, 0);
  const ran = tasks.filter((t) => t.attempts > 0).length;
  const done = tasks.length - count('pending') - count('running');
  const status: RunStatus = input.openStatus ?? runStatusOf(input.results.values(), input.tasks.length, input.cancelled);
  return {
    runId: input.runId,
    status,
    tasks,
    agents: input.agents,
    metrics: {
      topology: input.topology,
      backend: input.backend,
      tasks: tasks.length,
      succeeded: count('succeeded'),
      failed: count('failed'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
      pending: count('pending') + count('running'),
      attempts,
      retries: attempts - ran,
      duplicates: input.duplicates ?? 0,
      agents: input.agents.length,
      wallMs: Math.round(wallMs),
      busyMs: Math.round(busyMs),
      tasksPerSecond: wallMs > 0 ? Math.round((done / wallMs) * 1000 * 100) / 100 : 0,
      utilization: wallMs > 0 && slots > 0 ? Math.round((busyMs / (wallMs * slots)) * 1000) / 1000 : 0,
    },
  };
}
