import type { Route, TaskDef, Upstream } from '../model/types';

/** What a BullMQ job carries: everything a worker needs to run the task without asking the coordinator. */
export interface SwarmJobData {
  runId: string;
  task: TaskDef;
  route: Route;
  upstream: Upstream;
  /** Attempts started by earlier jobs of this task (lost with a dead worker). */
  attemptOffset?: number;
}

/** The backoff type swarm jobs use; workers compute it from the task's retry policy. */
export const BACKOFF_TYPE = 'sparc-task';

/** BullMQ priorities run from 1 (first) to 2^21; 0 means none. Plan priorities run from -1e6 to 1e6, higher first. */
export function bullPriority(priority: number): number {
  return 1_000_001 - priority;
}

/** Events workers publish on the run's event stream (BullMQ custom events; every field a string). */
export const EVENTS = {
  start: 'task:start',
  retry: 'task:retry',
  end: 'task:end',
} as const;
