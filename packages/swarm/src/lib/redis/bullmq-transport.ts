import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AgentDef, Route, TaskDef, TaskResult, Upstream } from '../model/types';
import type { SwarmPlan } from '../plan/parse-plan';
import type { Coordinator, CoordinatorTransport } from '../scheduling/coordinator';
import { BACKOFF_TYPE, bullPriority, type SwarmJobData } from './job-data';
import { jobId, type SwarmKeys } from './keys';
import { WorkerRegistry, type DispatchRecord, type RedisRunStore, type WorkerInfo } from './redis-store';

interface Outgoing {
  task: TaskDef;
  route: Route;
  upstream: Upstream;
  record: DispatchRecord;
}

/**
 * The coordinator's side of the bullmq backend: ready tasks become jobs on the queue of their
 * route; agents are whatever live workers announce; a worker whose heartbeat stops has the tasks
 * it was given (its agents' and its group's queues) routed again.
 */
export class BullmqTransport implements CoordinatorTransport {
  readonly open = true;
  readonly #redis: Redis;
  readonly #keys: SwarmKeys;
  readonly #store: RedisRunStore;
  readonly #plan: SwarmPlan;
  readonly #registry: WorkerRegistry;
  readonly #queues = new Map<string, Queue>();
  readonly #records = new Map<string, DispatchRecord>();
  readonly #usePriority: boolean;
  readonly #onFatal: (error: unknown) => void;
  #coordinator!: Coordinator;
  #workers: WorkerInfo[] = [];
  #outgoing: Outgoing[] = [];
  #seq = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(init: { redis: Redis; keys: SwarmKeys; store: RedisRunStore; plan: SwarmPlan; records?: Map<string, DispatchRecord>; onFatal(error: unknown): void }) {
    this.#redis = init.redis;
    this.#keys = init.keys;
    this.#store = init.store;
    this.#plan = init.plan;
    this.#registry = new WorkerRegistry(init.redis, init.keys);
    this.#onFatal = init.onFatal;
    // A ring is first come, first served; elsewhere priorities order the queues when the plan uses them.
    this.#usePriority = init.plan.topology !== 'ring' && init.plan.tasks.some((t) => t.priority !== 0);
    for (const [id, record] of init.records ?? []) {
      this.#records.set(id, record);
      this.#seq = Math.max(this.#seq, record.seq);
    }
  }

  attach(coordinator: Coordinator): void {
    this.#coordinator = coordinator;
  }

  agents(): readonly AgentDef[] {
    return this.#workers.flatMap((w) => w.agents);
  }

  /** Ring order: the plan's agent types first (as listed), then other types of live agents by name. */
  stages(): readonly string[] {
    const planned = [...new Set(this.#plan.agents.map((a) => a.type))];
    const others = [...new Set(this.agents().map((a) => a.type))].filter((t) => !planned.includes(t)).sort();
    return [...planned, ...others];
  }

  dispatch(task: TaskDef, route: Route, context: { upstream: Upstream }): void {
    const previous = this.#records.get(task.id);
    const record: DispatchRecord = { route, n: (previous?.n ?? 0) + 1, seq: ++this.#seq, at: Date.now() };
    if (previous?.offset !== undefined) record.offset = previous.offset;
    this.#records.set(task.id, record);
    this.#outgoing.push({ task, route, upstream: context.upstream, record });
  }

  /** Sends what was dispatched in one go: the records first (so a restarted coordinator knows), then the jobs, in order per queue. */
  flush(): void {
    if (this.#outgoing.length === 0) return;
    const batch = this.#outgoing;
    this.#outgoing = [];
    this.#chain = this.#chain.then(() => this.#send(batch)).catch((error) => this.#onFatal(error));
  }

  /** Resolves when every job handed out so far is on its queue. */
  settled(): Promise<void> {
    return this.#chain;
  }

  async #send(batch: Outgoing[]): Promise<void> {
    const runId = this.#store.runId;
    await this.#redis.hset(this.#keys.dispatch(runId), Object.fromEntries(batch.map((o) => [o.task.id, JSON.stringify(o.record)])));
    const byQueue = new Map<string, Outgoing[]>();
    for (const item of batch) {
      const name = this.#keys.queue(item.route);
      const list = byQueue.get(name);
      if (list) list.push(item);
      else byQueue.set(name, [item]);
    }
    for (const [name, items] of byQueue) {
      await this.#queue(name).addBulk(
        items.map(({ task, route, upstream, record }) => {
          const data: SwarmJobData = { runId, task, route, upstream, ...(record.offset ? { attemptOffset: record.offset } : {}) };
          const opts: JobsOptions = {
            jobId: jobId(runId, task.id, record.n),
            attempts: task.retry?.attempts ?? 1,
            backoff: { type: BACKOFF_TYPE, delay: task.retry?.backoffMs ?? 0 },
            removeOnComplete: { age: 24 * 3600, count: 10_000 },
            removeOnFail: { age: 7 * 24 * 3600 },
            ...(this.#usePriority ? { priority: bullPriority(task.priority) } : {}),
          };
          return { name: 'task', data, opts };
        }),
      );
    }
  }

  #queue(name: string): Queue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.#redis, prefix: this.#keys.bullPrefix });
      queue.on('error', () => undefined);
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Looks at the live workers. Tasks given to the agents or group of a worker whose heartbeat
   * stopped go back to the coordinator; their lost attempts still count. Returns whether the set
   * of agents changed.
   */
  async refreshWorkers(): Promise<boolean> {
    const { live, dead } = await this.#registry.list();
    const before = this.agents().map((a) => a.id).join(',');
    this.#workers = live;
    const changed = before !== this.agents().map((a) => a.id).join(',');
    for (const workerId of dead) await this.#bury(workerId);
    return changed;
  }

  async #bury(workerId: string): Promise<void> {
    // Jobs still on their way would land in the dead worker's queues after we cleared them.
    await this.settled();
    const lost: string[] = [];
    for (const id of this.#coordinator.inFlight()) {
      const record = this.#records.get(id);
      if (!record) continue;
      const route = record.route;
      const owned = (route.kind === 'agent' && route.agent.startsWith(`${workerId}.`)) || (route.kind === 'group' && route.group === workerId);
      if (!owned) continue;
      const job = await this.#queue(this.#keys.queue(route)).getJob(jobId(this.#store.runId, id, record.n));
      record.offset = (record.offset ?? 0) + (job?.attemptsStarted ?? 0);
      lost.push(id);
    }
    // The dead worker's own queues: nobody else reads them.
    const deadQueues = [...this.#queues.keys()].filter((name) => name.startsWith(`swarm-agent-${workerId}.`) || name === `swarm-group-${workerId}`);
    for (const name of deadQueues) {
      const queue = this.#queues.get(name) as Queue;
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close().catch(() => undefined);
      this.#queues.delete(name);
    }
    await this.#registry.remove(workerId);
    if (lost.length > 0) this.#coordinator.reroute(lost);
  }

  /** In-flight tasks whose job is not on its queue (a coordinator died between recording and sending): to be sent again. */
  async missingJobs(ids: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const id of ids) {
      const record = this.#records.get(id);
      if (!record) continue;
      const job = await this.#queue(this.#keys.queue(record.route)).getJob(jobId(this.#store.runId, id, record.n));
      if (!job) missing.push(id);
    }
    return missing;
  }

  /**
   * Jobs BullMQ failed without a worker storing a result (a job that stalled more often than
   * allowed): their failure becomes the task's result.
   */
  async failedWithoutResult(ids: string[], olderThanMs: number): Promise<TaskResult[]> {
    const results: TaskResult[] = [];
    const now = Date.now();
    for (const id of ids) {
      const record = this.#records.get(id);
      if (!record || now - record.at < olderThanMs) continue;
      const job = await this.#queue(this.#keys.queue(record.route)).getJob(jobId(this.#store.runId, id, record.n));
      if (!job || (await job.getState()) !== 'failed' || (await this.#store.hasResult(id))) continue;
      results.push({
        id,
        status: 'failed',
        agent: null,
        attempts: (record.offset ?? 0) + job.attemptsStarted,
        durationMs: 0,
        error: { code: 'JOB_FAILED', message: job.failedReason || 'the job failed in the queue' },
        finishedAt: now,
      });
    }
    return results;
  }

  async close(): Promise<void> {
    await this.#chain.catch(() => undefined);
    await Promise.all([...this.#queues.values()].map((q) => q.close().catch(() => undefined)));
    this.#queues.clear();
  }
}
