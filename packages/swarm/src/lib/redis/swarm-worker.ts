import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { backoffDelay, Workspace, type ModeRegistry, type OperationRegistry, type RetryPolicy } from '@sparc/batch-core';
import { QueueEventsProducer, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { round } from '../agents/local-agent';
import { RedisUnavailableError, SwarmOptionsError } from '../errors';
import { TaskExecutor, type ModeRunner } from '../execution/task-executor';
import type { AgentDef, Route, TaskResult } from '../model/types';
import { nameSchema } from '../plan/schema';
import { AgentSlots } from './agent-slots';
import { connectRedis, displayUrl, redisOptions } from './connection';
import { BACKOFF_TYPE, EVENTS, type SwarmJobData } from './job-data';
import { SwarmKeys } from './keys';
import { RedisRunStore, WorkerRegistry, type WorkerInfo } from './redis-store';

export const workerOptionsSchema = z.object({
  redis: z.string().min(1),
  prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('sparc'),
  /** Number of agents in this process. */
  agents: z.number().int().min(1).max(256).default(1),
  /** Agent types, given to the agents in turn (agent i gets types[i % types.length]). */
  types: z.array(nameSchema).min(1).default(['coder']),
  /** Extra capabilities every agent of this worker has. */
  capabilities: z.array(nameSchema).default([]),
  /** Tasks one agent runs at once. */
  concurrency: z.number().int().min(1).max(1000).default(1),
  /** How long a job's lock lasts without renewal: a worker that dies loses its jobs after this. */
  lockDurationMs: z.number().int().min(500).max(600_000).default(30_000),
  /** How often this worker looks for jobs whose worker died. */
  stalledIntervalMs: z.number().int().min(250).max(600_000).default(15_000),
  heartbeatMs: z.number().int().min(100).max(60_000).default(2000),
  /** After Redis drops, how long to keep reconnecting before the worker stops with an error. */
  reconnectForMs: z.number().int().min(0).max(3_600_000).default(15_000),
  workerId: nameSchema.optional(),
});

export type SwarmWorkerSettings = z.input<typeof workerOptionsSchema>;

export interface SwarmWorkerOptions extends SwarmWorkerSettings {
  /** Workspace the tasks work on. */
  dir?: string;
  workspace?: Workspace;
  registry?: OperationRegistry;
  modes?: ModeRegistry;
  runMode?: ModeRunner;
  /** Finished attempts, for logs. */
  onTask?(event: { runId: string; result: TaskResult; final: boolean }): void;
}

export interface WorkerAgentReport extends AgentDef {
  running: number;
  tasksDone: number;
  tasksFailed: number;
  busyMs: number;
}

/** A worker id safe for queue names: `<host>-<pid>-<random>`. */
function defaultWorkerId(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'host';
  return `${host}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

/**
 * A worker process's agents, taking tasks from BullMQ: from the capability queues (mesh), its
 * agents' own queues (star), its group queue (hierarchical, the worker being the group) and its
 * types' stage queues (ring). Runs until `stop()`; `closed` rejects if Redis is lost for good.
 */
export class SwarmWorker {
  readonly id: string;
  readonly agents: AgentDef[];
  readonly url: string;
  readonly closed: Promise<void>;
  readonly #redis: Redis;
  readonly #keys: SwarmKeys;
  readonly #bullWorkers: Worker[];
  readonly #executor: TaskExecutor;
  readonly #registry: WorkerRegistry;
  readonly #info: WorkerInfo;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #producers = new Map<string, QueueEventsProducer>();
  readonly #counters = new Map<string, { done: number; failed: number; busyMs: number }>();
  readonly #slots: AgentSlots;
  readonly #onTask?: SwarmWorkerOptions['onTask'];
  /** Attempts running now: a forced stop aborts them. */
  readonly #running = new Set<AbortController>();
  #stopping: Promise<void> | undefined;
  #resolveClosed!: () => void;
  #rejectClosed!: (error: unknown) => void;

  private constructor(init: { id: string; agents: AgentDef[]; url: string; redis: Redis; keys: SwarmKeys; executor: TaskExecutor; info: WorkerInfo; settings: z.output<typeof workerOptionsSchema>; onTask?: SwarmWorkerOptions['onTask'] }) {
    this.id = init.id;
    this.agents = init.agents;
    this.url = init.url;
    this.#redis = init.redis;
    this.#keys = init.keys;
    this.#executor = init.executor;
    this.#info = init.info;
    this.#registry = new WorkerRegistry(init.redis, init.keys);
    this.#slots = new AgentSlots(init.agents);
    this.closed = new Promise((resolve, reject) => {
      this.#resolveClosed = resolve;
      this.#rejectClosed = reject;
    });
    this.closed.catch(() => undefined);
    for (const agent of init.agents) this.#counters.set(agent.id, { done: 0, failed: 0, busyMs: 0 });

    const settings = init.settings;
    const routes: Array<{ route: Route; concurrency: number }> = [];
    const sum = (agents: AgentDef[]) => agents.reduce((n, a) => n + a.concurrency, 0);
    for (const capability of [...new Set(init.agents.flatMap((a) => a.capabilities))]) {
      routes.push({ route: { kind: 'capability', capability }, concurrency: sum(init.agents.filter((a) => a.capabilities.includes(capability))) });
    }
    for (const agent of init.agents) routes.push({ route: { kind: 'agent', agent: agent.id }, concurrency: agent.concurrency });
    routes.push({ route: { kind: 'group', group: init.id }, concurrency: sum(init.agents) });
    for (const type of [...new Set(init.agents.map((a) => a.type))]) {
      routes.push({ route: { kind: 'stage', stage: type }, concurrency: sum(init.agents.filter((a) => a.type === type)) });
    }
    const connection = redisOptions(init.url, { blocking: true, reconnectForMs: settings.reconnectForMs }) as ConnectionOptions;
    this.#bullWorkers = routes.map(({ route, concurrency }) => {
      const worker = new Worker<SwarmJobData>(this.#keys.queue(route), (job, _token, signal) => this.#process(job, route, signal), {
        connection,
        prefix: this.#keys.bullPrefix,
        concurrency,
        name: init.id,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: 3,
        settings: {
          backoffStrategy: (attemptsMade: number, type?: string, _error?: Error, job?: { data?: SwarmJobData }) => {
            const policy: RetryPolicy | undefined = job?.data?.task.retry;
            return type === BACKOFF_TYPE && policy ? backoffDelay(policy, attemptsMade) : 0;
          },
        },
      });
      // BullMQ reports connection trouble here; losing Redis for good is handled below.
      worker.on('error', () => undefined);
      return worker;
    });
    this.#onTask = init.onTask;

    this.#heartbeat = setInterval(() => {
      this.#registry.beat(this.#info).catch(() => undefined);
    }, settings.heartbeatMs);
    this.#heartbeat.unref();
    this.#redis.on('end', () => {
      if (this.#stopping) return;
      this.#fail(new RedisUnavailableError(displayUrl(this.url), `connection lost for more than ${settings.reconnectForMs} ms`));
    });
  }

  static async start(options: SwarmWorkerOptions): Promise<SwarmWorker> {
    const parsed = workerOptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
      throw new SwarmOptionsError(`invalid worker options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    const settings = parsed.data;
    const keys = new SwarmKeys(settings.prefix);
    const workspace = options.workspace ?? (await Workspace.open(options.dir ?? process.cwd()));
    const redis = await connectRedis(settings.redis, { reconnectForMs: settings.reconnectForMs });
    const id = settings.workerId ?? defaultWorkerId();
    const perType = new Map<string, number>();
    const agents: AgentDef[] = Array.from({ length: settings.agents }, (_, i) => {
      const type = settings.types[i % settings.types.length];
      const n = (perType.get(type) ?? 0) + 1;
      perType.set(type, n);
      const capabilities = [type, ...settings.capabilities.filter((c) => c !== type)];
      return { id: `${id}.${type}-${n}`, type, capabilities, concurrency: settings.concurrency, group: id, worker: id };
    });
    const executor = new TaskExecutor({
      workspace,
      runId: id,
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.modes ? { modes: options.modes } : {}),
      ...(options.runMode ? { runMode: options.runMode } : {}),
    });
    const info: WorkerInfo = { id, host: os.hostname(), pid: process.pid, dir: workspace.root, startedAt: Date.now(), heartbeatMs: settings.heartbeatMs, agents };
    try {
      await new WorkerRegistry(redis, keys).beat(info);
    } catch (error) {
      redis.disconnect();
      await executor.close();
      throw error;
    }
    const worker = new SwarmWorker({ id, agents, url: settings.redis, redis, keys, executor, info, settings, ...(options.onTask ? { onTask: options.onTask } : {}) });
    await Promise.all(worker.#bullWorkers.map((w) => w.waitUntilReady()));
    return worker;
  }

  /** Each agent's counters since the worker started, and what it runs now. */
  report(): WorkerAgentReport[] {
    return this.agents.map((agent) => ({ ...agent, running: this.#slots.running(agent.id), ...(this.#counters.get(agent.id) as { done: number; failed: number; busyMs: number }) })).map(({ done, failed, busyMs, ...rest }) => ({ ...rest, tasksDone: done, tasksFailed: failed, busyMs: round(busyMs) }));
  }

  async #process(job: Job<SwarmJobData>, route: Route, signal?: AbortSignal): Promise<unknown> {
    const { runId, task, upstream } = job.data;
    const store = new RedisRunStore(this.#redis, this.#keys, runId);
    const wanted = await store.wanted(task.id);
    // A run that ended (cancelled, or finished without this task) or a task that already has its result: nothing to do.
    if (wanted.status !== 'running' || wanted.hasResult) return { skipped: wanted.status !== 'running' ? `run ${wanted.status ?? 'unknown'}` : 'already has a result' };

    const agent = await this.#slots.acquire(AgentSlots.fits(route, task.capability));
    try {
      const attempt = (job.data.attemptOffset ?? 0) + Math.max(1, job.attemptsStarted);
      // Progress only: not waited for (commands on one connection keep their order anyway).
      this.#publish(runId, { eventName: EVENTS.start, taskId: task.id, agent: agent.id, attempt: String(attempt) }).catch(() => undefined);
      const controller = new AbortController();
      const onJobAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onJobAbort, { once: true });
      this.#running.add(controller);
      const outcome = await this.#executor.run(task, { signal: controller.signal, upstream, runId }).finally(() => {
        this.#running.delete(controller);
        signal?.removeEventListener('abort', onJobAbort);
      });
      // Stopped with force (or Redis is gone): the attempt is abandoned; its job's lock runs out and another worker takes it.
      if (controller.signal.aborted && this.#stopping) throw new Error('worker stopped');
      const counters = this.#counters.get(agent.id);
      if (counters) {
        if (outcome.ok) counters.done++;
        else counters.failed++;
        counters.busyMs += outcome.durationMs;
      }
      const final = outcome.ok || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const result: TaskResult = {
        id: task.id,
        status: outcome.ok ? 'succeeded' : 'failed',
        agent: agent.id,
        attempts: attempt,
        durationMs: round(outcome.durationMs),
        ...(outcome.error && !outcome.ok ? { error: outcome.error } : {}),
        ...(outcome.output !== undefined ? { output: outcome.output } : {}),
        group: agent.group,
        worker: this.id,
        startedAt: outcome.startedAt,
        finishedAt: Date.now(),
      };
      await store.finishAttempt(agent, outcome.ok, outcome.durationMs, final ? result : undefined);
      if (final) {
        await this.#publish(runId, { eventName: EVENTS.end, taskId: task.id, status: result.status, agent: agent.id });
      } else {
        await this.#publish(runId, { eventName: EVENTS.retry, taskId: task.id, agent: agent.id, attempt: String(attempt), code: outcome.error?.code ?? 'ERROR', message: outcome.error?.message ?? '' });
      }
      this.#onTask?.({ runId, result, final });
      // A thrown error is what makes BullMQ retry (or fail) the job.
      if (!outcome.ok) throw Object.assign(new Error(`${outcome.error?.code ?? 'ERROR'}: ${outcome.error?.message ?? 'failed'}`), { code: outcome.error?.code });
      return { status: result.status, agent: agent.id };
    } finally {
      this.#slots.release(agent);
    }
  }

  async #publish(runId: string, event: { eventName: string } & Record<string, string>): Promise<void> {
    let producer = this.#producers.get(runId);
    if (!producer) {
      producer = new QueueEventsProducer(this.#keys.eventsQueue(runId), { connection: this.#redis, prefix: this.#keys.bullPrefix });
      producer.on('error', () => undefined);
      this.#producers.set(runId, producer);
      // Workers serve many runs over their life; keep only recent producers.
      if (this.#producers.size > 64) {
        const [oldestId, oldest] = this.#producers.entries().next().value as [string, QueueEventsProducer];
        this.#producers.delete(oldestId);
        oldest.close().catch(() => undefined);
      }
    }
    await producer.publishEvent(event, 10_000);
  }

  /** Stops taking jobs, lets the running ones finish (or abandons them with `force`), and deregisters. */
  stop(options: { force?: boolean } = {}): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#heartbeat);
      if (options.force) for (const controller of this.#running) controller.abort(new Error('worker stopped'));
      try {
        await Promise.all(this.#bullWorkers.map((w) => w.close(options.force === true)));
        await Promise.all([...this.#producers.values()].map((p) => p.close()));
        if (this.#redis.status === 'ready') await this.#registry.remove(this.id);
      } finally {
        await this.#executor.close();
        this.#redis.disconnect();
        this.#resolveClosed();
      }
    })();
    return this.#stopping;
  }

  #fail(error: unknown): void {
    this.#rejectClosed(error);
    this.stop({ force: true }).catch(() => undefined);
  }
}
