import type { Route } from '../model/types';
import { routeKey } from '../topology/routing';

export const DEFAULT_PREFIX = 'sparc';

/** Every Redis key swarm uses, under one prefix (`--prefix`) so several swarms can share a server. */
export class SwarmKeys {
  readonly prefix: string;

  constructor(prefix = DEFAULT_PREFIX) {
    if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) throw new Error(`prefix "${prefix}" may only hold letters, digits, ".", "_" and "-"`);
    this.prefix = prefix;
  }

  /** BullMQ's own keys live under this prefix. */
  get bullPrefix(): string {
    return `${this.prefix}:swarmq`;
  }

  get runs(): string {
    return `${this.prefix}:swarm:runs`;
  }

  run(runId: string): string {
    return `${this.prefix}:swarm:run:${runId}`;
  }

  results(runId: string): string {
    return `${this.run(runId)}:results`;
  }

  /** Task ids in the order their results were stored: how a coordinator catches up after a restart. */
  log(runId: string): string {
    return `${this.run(runId)}:log`;
  }

  dispatch(runId: string): string {
    return `${this.run(runId)}:dispatch`;
  }

  /** Per-agent counters for one run: `<agent>|done`, `<agent>|failed`, `<agent>|busyMs`. */
  agentStats(runId: string): string {
    return `${this.run(runId)}:agents`;
  }

  /** Agents that worked on the run, and what they are (kept after their worker stops). */
  runAgents(runId: string): string {
    return `${this.run(runId)}:agent-defs`;
  }

  duplicates(runId: string): string {
    return `${this.run(runId)}:duplicates`;
  }

  lease(runId: string): string {
    return `${this.run(runId)}:lease`;
  }

  get workers(): string {
    return `${this.prefix}:swarm:workers`;
  }

  /** A worker's description, with a TTL its heartbeat renews: gone means dead. */
  worker(workerId: string): string {
    return `${this.prefix}:swarm:worker:${workerId}`;
  }

  /** BullMQ queue names (no ":" allowed). */
  queue(route: Route): string {
    return `swarm-${routeKey(route)}`;
  }

  eventsQueue(runId: string): string {
    return `swarm-run-${runId}`;
  }
}

/** BullMQ job ids may not contain ":" or be all digits; run and task ids never have ":". */
export function jobId(runId: string, taskId: string, dispatch: number): string {
  return `${runId}.${taskId}.d${dispatch}`;
}
