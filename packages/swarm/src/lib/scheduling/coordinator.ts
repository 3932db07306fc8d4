import { backoffDelay, type ErrorInfo } from '@sparc/batch-core';
import type { AgentDef, Route, SwarmEvent, TaskDef, TaskResult, Upstream } from '../model/types';
import type { SwarmPlan } from '../plan/parse-plan';
import { routeKey, type Router, type RoutingView } from '../topology/routing';
import { upstreamFrom } from './upstream';

/** How the coordinator reaches agents: in-process queues, or BullMQ queues on Redis. */
export interface CoordinatorTransport {
  /** Agents that accept new work, in spawn order. */
  agents(): readonly AgentDef[];
  /** Ring stages (agent types) in ring order. */
  stages(): readonly string[];
  /** Hands a ready task to its route. `retry`: a local retry of a task already at that route. */
  dispatch(task: TaskDef, route: Route, context: { upstream: Upstream; attempt: number; retry: boolean }): void;
  /** After a round of dispatches: lets the tasks handed out together compete by priority before any starts. */
  flush?(): void;
  /** Agents may join later (bullmq): a task nobody can take yet waits instead of failing. */
  readonly open: boolean;
}

export interface CoordinatorOptions {
  plan: SwarmPlan;
  router: Router;
  transport: CoordinatorTransport;
  /** Stores a result the coordinator itself decides (skipped, cancelled, no capable agent); resolves false if one was already stored. */
  persist(result: TaskResult): Promise<boolean>;
  onEvent?(event: SwarmEvent): void;
  /** Something went wrong outside any task (the store, the transport): the run cannot go on. */
  onFatal(error: unknown): void;
}

export interface Assignment {
  route: Route;
  attempt: number;
  /** Ring: position of the task in its stage's arrival order. */
  arrival?: number;
}

/** Restored state when a coordinator picks up a run (bullmq resume). */
export interface CoordinatorSnapshot {
  results: TaskResult[];
  /** Tasks already handed out, in the order they were, with where they went. */
  assignments: Array<{ id: string; route: Route }>;
}

interface StageOrder {
  arrivals: string[];
  released: number;
}

/**
 * The backend-independent heart of a swarm run: dependencies, routing through the topology,
 * load per agent and group, ring ordering, retries of local attempts, one result per task.
 */
export class Coordinator {
  readonly #plan: SwarmPlan;
  readonly #router: Router;
  readonly #transport: CoordinatorTransport;
  readonly #options: CoordinatorOptions;
  readonly #tasks = new Map<string, TaskDef>();
  readonly #dependents = new Map<string, string[]>();
  readonly #remaining = new Map<string, number>();
  readonly #results = new Map<string, TaskResult>();
  readonly #assignments = new Map<string, Assignment>();
  readonly #load = new Map<string, number>();
  readonly #total = new Map<string, number>();
  readonly #stages = new Map<string, StageOrder>();
  /** Ring: the stage whose release made a task ready. */
  readonly #fromStage = new Map<string, string>();
  readonly #waiting = new Set<string>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #duplicates = 0;
  /** While a snapshot is applied nothing is handed out: the snapshot says what already was. */
  #restoring = false;
  #cancelled: ErrorInfo | undefined;
  #resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(options: CoordinatorOptions) {
    this.#options = options;
    this.#plan = options.plan;
    this.#router = options.router;
    this.#transport = options.transport;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    for (const task of this.#plan.tasks) {
      this.#tasks.set(task.id, task);
      this.#remaining.set(task.id, task.dependsOn.length);
      for (const dep of task.dependsOn) {
        const list = this.#dependents.get(dep);
        if (list) list.push(task.id);
        else this.#dependents.set(dep, [task.id]);
      }
    }
  }

  get results(): ReadonlyMap<string, TaskResult> {
    return this.#results;
  }

  get duplicates(): number {
    return this.#duplicates;
  }

  /** Tasks handed out and not finished. */
  inFlight(): string[] {
    return [...this.#assignments.keys()].filter((id) => !this.#results.has(id));
  }

  /** Starts the run, or picks one up from a snapshot: finished tasks stay finished, handed-out tasks stay where they are. */
  start(snapshot?: CoordinatorSnapshot): void {
    if (snapshot) {
      this.#restoring = true;
      for (const { id, route } of snapshot.assignments) {
        const task = this.#tasks.get(id);
        if (task) this.#assign(task, route, 1);
      }
      // Results in dependency order, so releases see their dependencies released first.
      for (const result of [...snapshot.results].sort((a, b) => this.#seq(a.id) - this.#seq(b.id))) this.#accept(result);
      this.#restoring = false;
      for (const task of this.#plan.tasks) {
        if (this.#results.has(task.id) || this.#assignments.has(task.id) || this.#remaining.get(task.id) !== 0) continue;
        this.#ready(task);
      }
    } else {
      for (const task of this.#plan.tasks) if (task.dependsOn.length === 0) this.#ready(task);
    }
    this.#transport.flush?.();
    this.#checkDone();
  }

  /** A final result from the transport (local: after retries; bullmq: written by the worker). */
  complete(result: TaskResult): void {
    if (!this.#tasks.has(result.id)) return;
    if (this.#results.has(result.id)) {
      this.#duplicates++;
      return;
    }
    this.#accept(result);
    this.#transport.flush?.();
    this.#checkDone();
  }

  /**
   * A local attempt failed: schedules the next attempt per the task's retry policy and returns
   * true, or returns false when the policy is used up (the caller then completes the task).
   */
  retryLater(task: TaskDef, attempt: number, agent: string | null, error: ErrorInfo): boolean {
    const policy = task.retry;
    if (this.#cancelled || !policy || attempt >= policy.attempts) return false;
    const delayMs = backoffDelay(policy, attempt);
    this.#options.onEvent?.({ type: 'task:retry', id: task.id, agent, attempt, delayMs, error });
    const previous = this.#assignments.get(task.id);
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      if (this.#results.has(task.id) || this.#cancelled) return;
      // A ring keeps the task at its stage and its place in the stage's order.
      if (this.#router.ordered && previous) {
        this.#transport.dispatch(task, previous.route, { upstream: this.#upstream(task), attempt: attempt + 1, retry: true });
        previous.attempt = attempt + 1;
      } else {
        this.#unassign(task.id);
        this.#ready(task, attempt + 1);
      }
      this.#transport.flush?.();
      this.#checkDone();
    }, delayMs);
    this.#retryTimers.add(timer);
    return true;
  }

  /**
   * Tasks handed back before they finished (their agent was terminated, or its worker died): routed
   * again. `started`: the lost attempt had begun, so it counts.
   */
  reroute(taskIds: string[], started = false): void {
    for (const id of taskIds) {
      const task = this.#tasks.get(id);
      if (!task || this.#results.has(id)) continue;
      const attempt = (this.#assignments.get(id)?.attempt ?? 1) + (started ? 1 : 0);
      this.#unassign(id);
      this.#ready(task, attempt);
    }
    this.#transport.flush?.();
    this.#checkDone();
  }

  /** Agents joined or left: tasks nobody could take are routed again. */
  agentsChanged(): void {
    if (this.#waiting.size === 0) return;
    const waiting = [...this.#waiting].map((id) => this.#tasks.get(id) as TaskDef).sort((a, b) => a.seq - b.seq);
    this.#waiting.clear();
    for (const task of waiting) this.#ready(task);
    this.#transport.flush?.();
    this.#checkDone();
  }

  /** Stops handing out work. Tasks not handed out end as cancelled; the caller ends the ones in flight. */
  cancel(reason: ErrorInfo): void {
    if (this.#cancelled) return;
    this.#cancelled = reason;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    for (const task of this.#plan.tasks) {
      if (this.#results.has(task.id)) continue;
      if (this.#assignments.has(task.id) && !this.#waiting.has(task.id)) continue;
      this.#decide({ id: task.id, status: 'cancelled', agent: null, attempts: 0, durationMs: 0, error: reason, finishedAt: Date.now() });
    }
    this.#checkDone();
  }

  /** Ends every unfinished task as cancelled (bullmq: in-flight work on workers is abandoned, not awaited). */
  cancelInFlight(reason: ErrorInfo): void {
    this.cancel(reason);
    for (const id of this.inFlight()) {
      const attempts = this.#assignments.get(id)?.attempt ?? 0;
      this.#decide({ id, status: 'cancelled', agent: null, attempts, durationMs: 0, error: reason, finishedAt: Date.now() });
    }
    this.#checkDone();
  }

  get isCancelled(): boolean {
    return this.#cancelled !== undefined;
  }

  #seq(id: string): number {
    return this.#tasks.get(id)?.seq ?? Number.MAX_SAFE_INTEGER;
  }

  #view(): RoutingView {
    return {
      agents: this.#transport.agents(),
      stages: this.#transport.stages(),
      open: this.#transport.open,
      load: (route) => this.#load.get(routeKey(route)) ?? 0,
      total: (route) => this.#total.get(routeKey(route)) ?? 0,
    };
  }

  #ready(task: TaskDef, attempt = 1): void {
    if (this.#restoring) return;
    if (this.#cancelled) {
      this.#decide({ id: task.id, status: 'cancelled', agent: null, attempts: attempt - 1, durationMs: 0, error: this.#cancelled, finishedAt: Date.now() });
      return;
    }
    const route = this.#router.route(task, this.#view(), this.#fromStage.get(task.id));
    if (!route) {
      if (this.#transport.open) {
        if (!this.#waiting.has(task.id)) {
          this.#waiting.add(task.id);
          this.#options.onEvent?.({ type: 'notice', message: `task "${task.id}" waits for an agent with capability "${task.capability}"` });
        }
        return;
      }
      const message = `no agent can take task "${task.id}" (capability "${task.capability}")`;
      this.#decide({ id: task.id, status: 'failed', agent: null, attempts: attempt - 1, durationMs: 0, error: { code: 'NO_CAPABLE_AGENT', message }, finishedAt: Date.now() });
      return;
    }
    this.#assign(task, route, attempt);
    this.#transport.dispatch(task, route, { upstream: this.#upstream(task), attempt, retry: false });
  }

  #assign(task: TaskDef, route: Route, attempt: number): void {
    const key = routeKey(route);
    const assignment: Assignment = { route, attempt };
    if (this.#router.ordered && route.kind === 'stage') {
      let stage = this.#stages.get(route.stage);
      if (!stage) this.#stages.set(route.stage, (stage = { arrivals: [], released: 0 }));
      assignment.arrival = stage.arrivals.length;
      stage.arrivals.push(task.id);
    }
    this.#assignments.set(task.id, assignment);
    this.#load.set(key, (this.#load.get(key) ?? 0) + 1);
    this.#total.set(key, (this.#total.get(key) ?? 0) + 1);
  }

  #unassign(id: string): void {
    const assignment = this.#assignments.get(id);
    if (!assignment) return;
    this.#assignments.delete(id);
    const key = routeKey(assignment.route);
    this.#load.set(key, Math.max(0, (this.#load.get(key) ?? 0) - 1));
    if (assignment.arrival !== undefined && assignment.route.kind === 'stage') {
      // Leaving a stage before finishing (rerouted): it no longer holds up the stage's order.
      const stage = this.#stages.get(assignment.route.stage);
      if (stage) {
        stage.arrivals[assignment.arrival] = '';
        this.#releaseStage(assignment.route.stage);
      }
    }
  }

  #upstream(task: TaskDef): Upstream {
    return upstreamFrom(task, (id) => this.#tasks.get(id), (id) => this.#results.get(id));
  }

  /** A result the coordinator decides: stored, then accepted. */
  #decide(result: TaskResult): void {
    if (this.#results.has(result.id)) return;
    this.#accept(result);
    this.#options.persist(result).catch((error) => this.#options.onFatal(error));
  }

  #accept(result: TaskResult): void {
    if (this.#results.has(result.id)) return;
    this.#results.set(result.id, result);
    this.#waiting.delete(result.id);
    const assignment = this.#assignments.get(result.id);
    if (assignment) {
      const key = routeKey(assignment.route);
      this.#load.set(key, Math.max(0, (this.#load.get(key) ?? 0) - 1));
    }
    this.#options.onEvent?.({ type: 'task:end', result });
    if (this.#router.ordered && assignment?.route.kind === 'stage') this.#releaseStage(assignment.route.stage);
    else this.#release(result.id, assignment?.route);
  }

  /** Ring: releases the finished prefix of a stage's arrivals, in arrival order. */
  #releaseStage(stageName: string): void {
    const stage = this.#stages.get(stageName);
    if (!stage) return;
    while (stage.released < stage.arrivals.length) {
      const id = stage.arrivals[stage.released];
      if (id !== '' && !this.#results.has(id)) break;
      stage.released++;
      if (id !== '') this.#release(id, { kind: 'stage', stage: stageName });
    }
  }

  #release(id: string, route: Route | undefined): void {
    const result = this.#results.get(id) as TaskResult;
    for (const dependentId of this.#dependents.get(id) ?? []) {
      if (this.#results.has(dependentId)) continue;
      const dependent = this.#tasks.get(dependentId) as TaskDef;
      if (result.status !== 'succeeded') {
        const reason = result.status === 'skipped' ? `dependency "${id}" was skipped` : `dependency "${id}" ${result.status}`;
        this.#decide({ id: dependentId, status: 'skipped', agent: null, attempts: 0, durationMs: 0, error: { code: 'DEPENDENCY_FAILED', message: reason }, finishedAt: Date.now() });
        continue;
      }
      const left = (this.#remaining.get(dependentId) ?? 0) - 1;
      this.#remaining.set(dependentId, left);
      if (route?.kind === 'stage') this.#fromStage.set(dependentId, route.stage);
      if (left === 0 && !this.#assignments.has(dependentId)) this.#ready(dependent);
    }
  }

  #checkDone(): void {
    if (this.#results.size === this.#tasks.size) this.#resolveDone();
  }
}
