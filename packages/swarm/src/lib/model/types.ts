import type { ErrorInfo, ModeResult, RetryPolicy } from '@sparc/batch-core';

export const TOPOLOGIES = ['mesh', 'hierarchical', 'star', 'ring'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export const BACKENDS = ['local', 'bullmq'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The agent types the field knows; any other name is a user's own type. */
export const KNOWN_AGENT_TYPES = ['researcher', 'coder', 'analyst', 'tester', 'architect', 'reviewer', 'optimizer', 'documenter'] as const;

export type TaskKind = 'batch' | 'operation' | 'mode';

export interface ModeTaskPayload {
  name: string;
  options?: Record<string, unknown>;
  command?: string;
}

/** A task after validation: exactly one payload, defaults filled in, its position in the plan. */
export interface TaskDef {
  id: string;
  capability: string;
  kind: TaskKind;
  batch?: Record<string, unknown>;
  operation?: Record<string, unknown>;
  mode?: ModeTaskPayload;
  dependsOn: string[];
  priority: number;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Index in the plan: the tie-breaker after priority, and the order reports list tasks in. */
  seq: number;
}

export interface AgentDef {
  id: string;
  type: string;
  /** Always includes the type. */
  capabilities: string[];
  concurrency: number;
  /** Local: the plan entry the agent came from; bullmq: the worker process. Hierarchical coordinators work per group. */
  group: string;
  /** bullmq: the worker process the agent lives in. */
  worker?: string;
}

export type TaskStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** The one result recorded per task id. */
export interface TaskResult {
  id: string;
  status: TaskStatus;
  /** The agent whose attempt produced the result; null when no agent ran it (skipped, cancelled before start). */
  agent: string | null;
  /** Attempts started, including ones lost with a dead worker. */
  attempts: number;
  /** Run time of the attempt that produced the result. */
  durationMs: number;
  error?: ErrorInfo;
  /** What the work returned (compacted; see `compactOutput`). */
  output?: unknown;
  group?: string;
  worker?: string;
  /** Epoch ms. */
  startedAt?: number;
  finishedAt: number;
}

/** Where the coordinator sends a ready task; each topology uses one kind. */
export type Route =
  | { kind: 'capability'; capability: string }
  | { kind: 'agent'; agent: string }
  | { kind: 'group'; group: string }
  | { kind: 'stage'; stage: string };

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'interrupted';

export interface AgentReport {
  id: string;
  type: string;
  capabilities: string[];
  concurrency: number;
  group: string;
  worker?: string;
  status: 'idle' | 'busy' | 'terminating' | 'terminated' | 'online' | 'offline';
  /** Attempts that succeeded / failed on this agent in this run, and their summed run time. */
  tasksDone: number;
  tasksFailed: number;
  busyMs: number;
}

export interface TaskReport {
  id: string;
  status: TaskStatus | 'pending' | 'running';
  agent: string | null;
  attempts: number;
  durationMs: number;
  error?: ErrorInfo;
}

export interface RunMetrics {
  topology: Topology;
  backend: Backend;
  tasks: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  pending: number;
  /** Attempts started in total, and those beyond the first per task. */
  attempts: number;
  retries: number;
  /** Completions recorded after a task already had its result (a worker that lost its lock), dropped. */
  duplicates: number;
  agents: number;
  wallMs: number;
  /** Sum of every attempt's run time. */
  busyMs: number;
  tasksPerSecond: number;
  /** busyMs / (wallMs × agent slots): how much of the agents' capacity did work. */
  utilization: number;
}

export interface SwarmReport {
  runId: string;
  status: RunStatus;
  tasks: TaskReport[];
  agents: AgentReport[];
  metrics: RunMetrics;
}

/** What a mode task's dependents receive as `ctx.upstream`, by mode name. */
export type Upstream = Record<string, ModeResult>;

export type SwarmEvent =
  | { type: 'task:start'; id: string; agent: string; attempt: number }
  | { type: 'task:retry'; id: string; agent: string | null; attempt: number; delayMs: number; error: ErrorInfo }
  | { type: 'task:end'; result: TaskResult }
  | { type: 'notice'; message: string };
