import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { CancelledError, newRunId, toErrorInfo, Workspace, type ModeRegistry, type OperationRegistry } from '@sparc/batch-core';
import { QueueEvents, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { RedisUnavailableError, RunLockedError } from '../errors';
import { TaskExecutor } from '../execution/task-executor';
import { isSwarmPlan, validatePayloads } from '../local/local-swarm';
import type { AgentReport, SwarmEvent, SwarmReport, TaskResult, Topology } from '../model/types';
import { parsePlan, planToDocument, type SwarmPlan } from '../plan/parse-plan';
import { buildReport } from '../report';
import { Coordinator } from '../scheduling/coordinator';
import { ROUTERS } from '../topology/routing';
import { BullmqTransport } from './bullmq-transport';
import { connectRedis, displayUrl, redisOptions } from './connection';
import { EVENTS } from './job-data';
import { DEFAULT_PREFIX, SwarmKeys } from './keys';
import { RedisRunStore, WorkerRegistry } from './redis-store';

export interface BullmqRunOptions {
  redis: string;
  /** Key prefix shared with the workers. @default "sparc" */
  prefix?: string;
  topology?: Topology;
  runId?: string;
  /** Workspace used to check batch and operation payloads before anything is queued. @default cwd */
  dir?: string;
  /** Operation types and modes to check payloads against (the workers must know the same). */
  registry?: OperationRegistry;
  modes?: ModeRegistry;
  signal?: AbortSignal;
  onEvent?(event: SwarmEvent): void;
  /** How often the coordinator renews its lease, catches up on results and looks at workers. @default 1000 */
  tickMs?: number;
  /** How long a coordinator's lease on the run lasts without renewal. @default 10000 */
  leaseMs?: number;
  /** After Redis drops, how long to keep reconnecting before the run fails. @default 15000 */
  reconnectForMs?: number;
}

const holderId = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a plan on bullmq workers: queues what is ready, follows results, resolves with the report. */
export async function runBullmqSwarm(planInput: SwarmPlan | unknown, options: BullmqRunOptions): Promise<SwarmReport> {
  const parsed = isSwarmPlan(planInput) ? planInput : parsePlan(planInput);
  const plan: SwarmPlan = { ...parsed, topology: options.topology ?? parsed.topology };
  const workspace = await Workspace.open(options.dir ?? process.cwd(), { recover: false });
  const checker = new TaskExecutor({ workspace, runId: 'check', record: false, ...(options.registry ? { registry: options.registry } : {}), ...(options.modes ? { modes: options.modes } : {}) });
  try {
    validatePayloads(plan, checker);
  } finally {
    await checker.close();
  }
  const runId = options.runId ?? newRunId();
  return coordinate(runId, options, async (store) => {
    await store.create(planToDocument(plan), { topology: plan.topology, startedAt: Date.now(), coordinator: os.hostname() });
    return { plan, fresh: true };
  });
}

/** Picks up a run whose coordinator stopped (or died): what finished stays finished, queued jobs stay queued. */
export async function resumeBullmqSwarm(runId: string, options: Omit<BullmqRunOptions, 'runId' | 'topology'>): Promise<SwarmReport> {
  return coordinate(runId, options, async (store) => {
    const { plan, meta, report } = await store.load();
    if (meta.status !== 'running' && report) return { report };
    if (meta.status !== 'running') await store.setStatus('running');
    return { plan: parsePlan(plan), fresh: false };
  });
}

type Start = { plan: SwarmPlan; fresh: boolean } | { report: SwarmReport };

async function coordinate(runId: string, options: BullmqRunOptions, begin: (store: RedisRunStore) => Promise<Start>): Promise<SwarmReport> {
  const keys = new SwarmKeys(options.prefix ?? DEFAULT_PREFIX);
  const reconnectForMs = options.reconnectForMs ?? 15_000;
  const redis = await connectRedis(options.redis, { reconnectForMs });
  const store = new RedisRunStore(redis, keys, runId);
  const tickMs = options.tickMs ?? 1000;
  const leaseMs = options.leaseMs ?? 10_000;
  const holder = holderId();
  let events: QueueEvents | undefined;
  let transport: BullmqTransport | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let leased = false;
  try {
    const started = await begin(store);
    if ('report' in started) return started.report;
    const { plan, fresh } = started;
    leased = await takeLease(store, holder, leaseMs, tickMs, fresh);

    let failure: unknown;
    let rejectFatal!: (error: unknown) => void;
    const fatal = new Promise<never>((_, reject) => (rejectFatal = reject));
    fatal.catch(() => undefined);
    const onFatal = (error: unknown) => {
      if (failure !== undefined) return;
      failure = error;
      rejectFatal(error);
    };
    redis.on('end', () => onFatal(new RedisUnavailableError(displayUrl(options.redis), `connection lost for more than ${reconnectForMs} ms`)));

    const records = fresh ? undefined : await store.allDispatch();
    transport = new BullmqTransport({ redis, keys, store, plan, ...(records ? { records } : {}), onFatal });
    await transport.refreshWorkers();
    const coordinator = new Coordinator({ plan, router: ROUTERS[plan.topology], transport, persist: (result) => store.record(result), onFatal, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
    transport.attach(coordinator);

    // Results are stored by the workers and logged in order; the coordinator reads the log from where it left off.
    let cursor = 0;
    let pulling: Promise<void> | undefined;
    let pullAgain = false;
    const pullLog = (): Promise<void> => {
      if (pulling) {
        pullAgain = true;
        return pulling;
      }
      pulling = (async () => {
        do {
          pullAgain = false;
          const ids = await store.logFrom(cursor);
          cursor += ids.length;
          for (const result of await store.results(ids)) coordinator.complete(result);
        } while (pullAgain);
      })()
        .catch(onFatal)
        .finally(() => (pulling = undefined));
      return pulling;
    };

    const connection = redisOptions(options.redis, { blocking: true, reconnectForMs }) as ConnectionOptions;
    events = new QueueEvents(keys.eventsQueue(runId), { connection, prefix: keys.bullPrefix, lastEventId: fresh ? '0' : '$', blockingTimeout: tickMs });
    events.on('error', () => undefined);
    // Results that come in before the coordinator has started are read from the log once it has.
    let following = false;
    events.on(EVENTS.end as 'completed', () => {
      if (following) void pullLog();
    });
    const emit = options.onEvent;
    if (emit) {
      events.on(EVENTS.start as 'completed', (args: unknown) => {
        const a = args as Record<string, string>;
        emit({ type: 'task:start', id: a.taskId, agent: a.agent, attempt: Number(a.attempt) });
      });
      events.on(EVENTS.retry as 'completed', (args: unknown) => {
        const a = args as Record<string, string>;
        emit({ type: 'task:retry', id: a.taskId, agent: a.agent, attempt: Number(a.attempt), delayMs: 0, error: { code: a.code, message: a.message } });
      });
    }
    await events.waitUntilReady();

    if (fresh) {
      coordinator.start();
    } else {
      const ids = await store.logFrom(0);
      cursor = ids.length;
      const results = await store.results(ids);
      const assignments = [...(records ?? new Map()).entries()].sort((a, b) => a[1].seq - b[1].seq).map(([id, record]) => ({ id, route: record.route }));
      const finished = new Set(results.map((r) => r.id));
      const handedOut = assignments.map((a) => a.id).filter((id) => !finished.has(id));
      coordinator.start({ results, assignments });
      // Only the earlier coordinator's hand-outs can lack their job, and only once ours are on their queues is "missing" meaningful.
      await transport.settled();
      const missing = await transport.missingJobs(handedOut.filter((id) => !coordinator.results.has(id)));
      if (missing.length > 0) coordinator.reroute(missing);
    }
    following = true;
    void pullLog();

    const onAbort = () => {
      const reason = toErrorInfo(options.signal?.reason ?? new CancelledError('cancelled'));
      store
        .setStatus('cancelled')
        .then(() => coordinator.cancelInFlight(reason))
        .catch(onFatal);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    let ticks = 0;
    let ticking = false;
    ticker = setInterval(() => {
      if (ticking || failure !== undefined) return;
      ticking = true;
      (async () => {
        ticks++;
        if (!(await store.lease(holder, leaseMs))) {
          const current = await store.leaseHolder();
          throw new RunLockedError(runId, current?.holder ?? 'another coordinator');
        }
        await pullLog();
        if (await transport!.refreshWorkers()) coordinator.agentsChanged();
        if (ticks % 5 === 0) {
          for (const result of await transport!.failedWithoutResult(coordinator.inFlight(), tickMs * 5)) {
            if (await store.record(result)) coordinator.complete(result);
          }
        }
      })()
        .catch(onFatal)
        .finally(() => (ticking = false));
    }, tickMs);

    try {
      await Promise.race([coordinator.done, fatal]);
      await Promise.race([transport.settled(), fatal]);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }

    const final = await store.load();
    const report = buildReport({
      runId,
      topology: plan.topology,
      backend: 'bullmq',
      tasks: plan.tasks,
      results: coordinator.results,
      agents: await runAgents(store, redis, keys),
      startedAt: final.meta.startedAt,
      finishedAt: Date.now(),
      cancelled: coordinator.isCancelled,
      duplicates: await store.duplicates(),
    });
    await store.finish(report);
    return report;
  } finally {
    if (ticker) clearInterval(ticker);
    await events?.close().catch(() => undefined);
    await transport?.close();
    if (leased) await store.releaseLease(holder).catch(() => undefined);
    redis.disconnect();
  }
}

/** A fresh run takes the lease at once; a resumed one waits for a dead coordinator's lease to run out. */
async function takeLease(store: RedisRunStore, holder: string, leaseMs: number, tickMs: number, fresh: boolean): Promise<boolean> {
  const deadline = Date.now() + (fresh ? 0 : leaseMs + tickMs);
  for (;;) {
    if (await store.lease(holder, leaseMs)) return true;
    const current = await store.leaseHolder();
    if (Date.now() >= deadline) throw new RunLockedError(store.runId, current?.holder ?? 'another coordinator');
    await sleep(Math.min(250, Math.max(10, current?.ttlMs ?? 250)));
  }
}

/** The agents that worked on the run with their counters, plus live agents that did not (yet). */
export async function runAgents(store: RedisRunStore, redis: Redis, keys: SwarmKeys): Promise<AgentReport[]> {
  const [counters, workers] = await Promise.all([store.agentCounters(), new WorkerRegistry(redis, keys).list()]);
  const live = new Set(workers.live.flatMap((w) => w.agents.map((a) => a.id)));
  const reports = new Map<string, AgentReport>();
  for (const { agent, done, failed, busyMs } of counters) {
    reports.set(agent.id, { ...agent, status: live.has(agent.id) ? 'online' : 'offline', tasksDone: done, tasksFailed: failed, busyMs });
  }
  for (const agent of workers.live.flatMap((w) => w.agents)) {
    if (!reports.has(agent.id)) reports.set(agent.id, { ...agent, status: 'online', tasksDone: 0, tasksFailed: 0, busyMs: 0 });
  }
  return [...reports.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The report of a bullmq run: the final one, or one built from what Redis holds now. */
export async function readRedisRun(url: string, runId: string, prefix = DEFAULT_PREFIX): Promise<SwarmReport> {
  const keys = new SwarmKeys(prefix);
  const redis = await connectRedis(url);
  try {
    const store = new RedisRunStore(redis, keys, runId);
    const { plan, meta, report } = await store.load();
    if (report) return report;
    const parsedPlan = parsePlan(plan);
    const results = await store.allResults();
    const lease = await store.leaseHolder();
    return buildReport({
      runId,
      topology: parsedPlan.topology,
      backend: 'bullmq',
      tasks: parsedPlan.tasks,
      results: results as Map<string, TaskResult>,
      agents: await runAgents(store, redis, keys),
      startedAt: meta.startedAt,
      openStatus: lease ? 'running' : 'interrupted',
      duplicates: await store.duplicates(),
    });
  } finally {
    redis.disconnect();
  }
}

export async function listRedisRuns(url: string, prefix = DEFAULT_PREFIX): Promise<Array<{ runId: string; backend: 'bullmq'; topology: Topology; status: string; startedAt: string; tasks: number }>> {
  const keys = new SwarmKeys(prefix);
  const redis = await connectRedis(url);
  try {
    const ids = await redis.zrange(keys.runs, 0, -1);
    const runs = [];
    for (const runId of ids) {
      const fields = await redis.hmget(keys.run(runId), 'topology', 'status', 'startedAt', 'plan');
      if (!fields[3]) continue;
      const lease = await redis.exists(keys.lease(runId));
      const status = fields[1] === 'running' && !lease ? 'interrupted' : (fields[1] ?? 'unknown');
      const tasks = ((JSON.parse(fields[3]) as { tasks?: unknown[] }).tasks ?? []).length;
      runs.push({ runId, backend: 'bullmq' as const, topology: fields[0] as Topology, status, startedAt: new Date(Number(fields[2])).toISOString(), tasks });
    }
    return runs;
  } finally {
    redis.disconnect();
  }
}
