import { CancelledError, toErrorInfo } from '@sparc/batch-core';
import { LocalAgent, round } from '../agents/local-agent';
import type { TaskExecutor } from '../execution/task-executor';
import type { AgentDef, Route, SwarmEvent, TaskDef, TaskResult, Upstream } from '../model/types';
import type { Coordinator, CoordinatorTransport } from '../scheduling/coordinator';
import { comesBefore, FifoTaskQueue, PriorityTaskQueue } from '../scheduling/task-queue';
import { routeKey } from '../topology/routing';

interface Pending {
  route: Route;
  upstream: Upstream;
  attempt: number;
}

export interface LocalTransportOptions {
  executor: TaskExecutor;
  runId: string;
  signal: AbortSignal;
  /** Stores a final result before the coordinator hears of it. */
  persist(result: TaskResult): Promise<unknown>;
  onEvent?(event: SwarmEvent): void;
  onFatal(error: unknown): void;
}

/**
 * In-process agents. Ready tasks wait in one queue per route (capability, agent, group or ring
 * stage); an agent with a free slot takes the best task from the queues it serves, the agent
 * idle the longest first.
 */
export class LocalTransport implements CoordinatorTransport {
  readonly open = false;
  readonly #agents: LocalAgent[] = [];
  readonly #heaps = new Map<string, PriorityTaskQueue>();
  readonly #fifos = new Map<string, FifoTaskQueue>();
  readonly #pending = new Map<string, Pending>();
  readonly #options: LocalTransportOptions;
  #coordinator!: Coordinator;
  #tick = 0;
  #pumping = false;
  #repump = false;
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: LocalTransportOptions) {
    this.#options = options;
  }

  attach(coordinator: Coordinator): void {
    this.#coordinator = coordinator;
  }

  add(defs: AgentDef[]): LocalAgent[] {
    const agents = defs.map((def) => new LocalAgent(def));
    this.#agents.push(...agents);
    return agents;
  }

  all(): readonly LocalAgent[] {
    return this.#agents;
  }

  agents(): readonly AgentDef[] {
    return this.#agents.filter((a) => a.accepting).map((a) => a.def);
  }

  stages(): readonly string[] {
    return [...new Set(this.agents().map((a) => a.type))];
  }

  dispatch(task: TaskDef, route: Route, context: { upstream: Upstream; attempt: number; retry: boolean }): void {
    this.#pending.set(task.id, { route, upstream: context.upstream, attempt: context.attempt });
    const key = routeKey(route);
    if (route.kind === 'stage') {
      let fifo = this.#fifos.get(key);
      if (!fifo) this.#fifos.set(key, (fifo = new FifoTaskQueue()));
      if (context.retry) fifo.pushFront(task);
      else fifo.push(task);
    } else {
      let heap = this.#heaps.get(key);
      if (!heap) this.#heaps.set(key, (heap = new PriorityTaskQueue()));
      heap.push(task);
    }
  }

  flush(): void {
    this.pump();
  }

  /** Offers queued tasks to agents with free slots until no agent can take anything more. */
  pump(): void {
    if (this.#pumping) {
      this.#repump = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#repump = false;
        const free = this.#agents.filter((a) => a.freeSlots > 0).sort((a, b) => a.lastActive - b.lastActive);
        let assigned = true;
        while (assigned) {
          assigned = false;
          for (const agent of free) {
            if (agent.freeSlots === 0) continue;
            const task = this.#take(agent);
            if (!task) continue;
            assigned = true;
            this.#start(agent, task);
          }
        }
      } while (this.#repump);
    } finally {
      this.#pumping = false;
    }
  }

  /** The best task among the queues this agent serves. */
  #take(agent: LocalAgent): TaskDef | undefined {
    const def = agent.def;
    let bestHeap: PriorityTaskQueue | undefined;
    const consider = (key: string) => {
      const heap = this.#heaps.get(key);
      const top = heap?.peek();
      if (top && (!bestHeap || comesBefore(top, bestHeap.peek() as TaskDef))) bestHeap = heap;
    };
    for (const capability of def.capabilities) consider(`cap-${capability}`);
    consider(`agent-${def.id}`);
    consider(`group-${def.group}`);
    if (bestHeap) return bestHeap.pop();
    return this.#fifos.get(`stage-${def.type}`)?.takeFirst((task) => def.capabilities.includes(task.capability));
  }

  #start(agent: LocalAgent, task: TaskDef): void {
    const pending = this.#pending.get(task.id) as Pending;
    this.#pending.delete(task.id);
    const controller = new AbortController();
    const onRunAbort = () => controller.abort(this.#options.signal.reason);
    this.#options.signal.addEventListener('abort', onRunAbort, { once: true });
    if (this.#options.signal.aborted) controller.abort(this.#options.signal.reason);
    agent.started(task.id, controller);
    this.#inFlight++;
    this.#options.onEvent?.({ type: 'task:start', id: task.id, agent: agent.id, attempt: pending.attempt });
    this.#options.executor
      .run(task, { signal: controller.signal, upstream: pending.upstream, runId: this.#options.runId })
      .then(async (outcome) => {
        this.#options.signal.removeEventListener('abort', onRunAbort);
        agent.finished(task.id, outcome.ok, outcome.durationMs, ++this.#tick);
        const runCancelled = this.#options.signal.aborted;
        if (!outcome.ok && controller.signal.aborted && !runCancelled) {
          // The agent was terminated with force: the task goes to another agent, as if never started.
          this.#coordinator.reroute([task.id], true);
          return;
        }
        if (!outcome.ok && !runCancelled && this.#coordinator.retryLater(task, pending.attempt, agent.id, outcome.error ?? { code: 'ERROR', message: 'failed' })) return;
        const cancelled = !outcome.ok && runCancelled;
        const result: TaskResult = {
          id: task.id,
          status: outcome.ok ? 'succeeded' : cancelled ? 'cancelled' : 'failed',
          agent: agent.id,
          attempts: pending.attempt,
          durationMs: round(outcome.durationMs),
          ...(outcome.ok ? {} : { error: cancelled ? toErrorInfo(controller.signal.reason ?? new CancelledError()) : outcome.error }),
          ...(outcome.output !== undefined ? { output: outcome.output } : {}),
          group: agent.def.group,
          startedAt: outcome.startedAt,
          finishedAt: Date.now(),
        };
        await this.#options.persist(result);
        this.#coordinator.complete(result);
      })
      .catch((error) => this.#options.onFatal(error))
      .finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
        this.pump();
      });
  }

  /** Ends every task still waiting in a queue as cancelled (the run was cancelled). */
  async cancelQueued(reason: unknown): Promise<void> {
    const queued = [...this.#heaps.values(), ...this.#fifos.values()].flatMap((queue) => queue.drain());
    for (const task of queued) {
      const pending = this.#pending.get(task.id);
      this.#pending.delete(task.id);
      const result: TaskResult = { id: task.id, status: 'cancelled', agent: null, attempts: (pending?.attempt ?? 1) - 1, durationMs: 0, error: toErrorInfo(reason), finishedAt: Date.now() };
      await this.#options.persist(result);
      this.#coordinator.complete(result);
    }
  }

  /** Resolves once nothing is running. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Adds agents to a running swarm; tasks nobody could take are routed again. */
  spawned(): void {
    this.#coordinator.agentsChanged();
    this.pump();
  }

  /**
   * Stops an agent taking work. Tasks queued for it alone (its own queue, or a group or stage
   * with no agent left) go back to the coordinator to be routed again.
   */
  terminate(agentId: string, force: boolean): boolean {
    const agent = this.#agents.find((a) => a.id === agentId);
    if (!agent || !agent.accepting) return false;
    agent.terminate(force, new CancelledError(`agent ${agentId} was terminated`));
    const orphaned: string[] = [];
    const remaining = this.#agents.filter((a) => a.accepting);
    const drainHeap = (key: string) => {
      const heap = this.#heaps.get(key);
      if (heap) orphaned.push(...heap.drain().map((t) => t.id));
    };
    drainHeap(`agent-${agentId}`);
    if (!remaining.some((a) => a.def.group === agent.def.group)) drainHeap(`group-${agent.def.group}`);
    for (const capability of agent.def.capabilities) {
      if (!remaining.some((a) => a.def.capabilities.includes(capability))) drainHeap(`cap-${capability}`);
    }
    const stage = this.#fifos.get(`stage-${agent.def.type}`);
    if (stage && !remaining.some((a) => a.def.type === agent.def.type)) orphaned.push(...stage.drain().map((t) => t.id));
    for (const id of orphaned) this.#pending.delete(id);
    if (orphaned.length > 0) this.#coordinator.reroute(orphaned);
    this.pump();
    return true;
  }
}
