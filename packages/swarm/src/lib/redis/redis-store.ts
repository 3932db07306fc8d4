import type { Redis } from 'ioredis';
import { RunNotFoundError, SwarmOptionsError } from '../errors';
import type { AgentDef, Route, RunStatus, SwarmReport, TaskResult } from '../model/types';
import type { SwarmKeys } from './keys';

/** Stores a result only if the task has none yet, and logs its id; otherwise counts a duplicate. */
const RECORD_ONCE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  return 1
end
redis.call('INCR', KEYS[3])
return 0
`;

/** Finished runs' keys expire after this long. */
export const RUN_RETENTION_SECONDS = 30 * 24 * 3600;

export interface RunMeta {
  runId: string;
  topology: string;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  coordinator?: string;
}

export interface DispatchRecord {
  route: Route;
  /** How many times the task was handed out (a new BullMQ job each time). */
  n: number;
  /** Order of hand-outs across the run (ring stages restore their order from it). */
  seq: number;
  at: number;
  /** Attempts started by earlier jobs of the task that were lost with a dead worker. */
  offset?: number;
}

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  dir: string;
  startedAt: number;
  heartbeatMs: number;
  agents: AgentDef[];
}

/** One run's state in Redis: the plan, one result per task, what was handed out, per-agent counters. */
export class RedisRunStore {
  readonly #redis: Redis;
  readonly #keys: SwarmKeys;
  readonly runId: string;

  constructor(redis: Redis, keys: SwarmKeys, runId: string) {
    this.#redis = redis;
    this.#keys = keys;
    this.runId = runId;
  }

  /** Creates the run; refuses an id already used. */
  async create(plan: Record<string, unknown>, meta: Omit<RunMeta, 'runId' | 'status'>): Promise<void> {
    const key = this.#keys.run(this.runId);
    const created = await this.#redis.hsetnx(key, 'plan', JSON.stringify(plan));
    if (created === 0) throw new SwarmOptionsError(`a swarm run "${this.runId}" already exists on this Redis (resume it with --resume ${this.runId})`, [{ path: 'runId', message: 'already used' }]);
    await this.#redis
      .multi()
      .hset(key, { runId: this.runId, backend: 'bullmq', topology: meta.topology, status: 'running', startedAt: String(meta.startedAt), coordinator: meta.coordinator ?? '' })
      .zadd(this.#keys.runs, meta.startedAt, this.runId)
      .exec();
  }

  async load(): Promise<{ plan: Record<string, unknown>; meta: RunMeta; report?: SwarmReport }> {
    const fields = await this.#redis.hgetall(this.#keys.run(this.runId));
    if (!fields.plan) throw new RunNotFoundError(this.runId, `Redis (prefix "${this.#keys.prefix}")`);
    return {
      plan: JSON.parse(fields.plan) as Record<string, unknown>,
      meta: {
        runId: this.runId,
        topology: fields.topology,
        status: fields.status as RunStatus,
        startedAt: Number(fields.startedAt),
        ...(fields.finishedAt ? { finishedAt: Number(fields.finishedAt) } : {}),
        ...(fields.coordinator ? { coordinator: fields.coordinator } : {}),
      },
      ...(fields.report ? { report: JSON.parse(fields.report) as SwarmReport } : {}),
    };
  }

  async setStatus(status: RunStatus): Promise<void> {
    await this.#redis.hset(this.#keys.run(this.runId), 'status', status);
  }

  /** True if this is the task's first result; a later one only counts as a duplicate. */
  async record(result: TaskResult): Promise<boolean> {
    const stored = await this.#redis.eval(RECORD_ONCE, 3, this.#keys.results(this.runId), this.#keys.log(this.runId), this.#keys.duplicates(this.runId), result.id, JSON.stringify(result));
    return stored === 1;
  }

  async hasResult(taskId: string): Promise<boolean> {
    return (await this.#redis.hexists(this.#keys.results(this.runId), taskId)) === 1;
  }

  /** Task ids whose results were stored, from position `from` of the log on. */
  async logFrom(from: number): Promise<string[]> {
    return this.#redis.lrange(this.#keys.log(this.runId), from, -1);
  }

  async results(ids: string[]): Promise<TaskResult[]> {
    if (ids.length === 0) return [];
    const values = await this.#redis.hmget(this.#keys.results(this.runId), ...ids);
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as TaskResult);
  }

  async allResults(): Promise<Map<string, TaskResult>> {
    const all = await this.#redis.hgetall(this.#keys.results(this.runId));
    return new Map(Object.entries(all).map(([id, json]) => [id, JSON.parse(json) as TaskResult]));
  }

  async duplicates(): Promise<number> {
    return Number((await this.#redis.get(this.#keys.duplicates(this.runId))) ?? 0);
  }

  async saveDispatch(taskId: string, record: DispatchRecord): Promise<void> {
    await this.#redis.hset(this.#keys.dispatch(this.runId), taskId, JSON.stringify(record));
  }

  async allDispatch(): Promise<Map<string, DispatchRecord>> {
    const all = await this.#redis.hgetall(this.#keys.dispatch(this.runId));
    return new Map(Object.entries(all).map(([id, json]) => [id, JSON.parse(json) as DispatchRecord]));
  }

  /** Worker side, before an attempt: is the run still going, and does the task still need a result? (One round trip.) */
  async wanted(taskId: string): Promise<{ status: RunStatus | undefined; hasResult: boolean }> {
    const replies = await this.#redis.pipeline().hget(this.#keys.run(this.runId), 'status').hexists(this.#keys.results(this.runId), taskId).exec();
    const [statusReply, existsReply] = replies ?? [];
    if (statusReply?.[0]) throw statusReply[0];
    if (existsReply?.[0]) throw existsReply[0];
    return { status: (statusReply?.[1] as RunStatus | null) ?? undefined, hasResult: existsReply?.[1] === 1 };
  }

  /**
   * Worker side, after an attempt: the agent's counters for this run and, when the attempt is the
   * task's last, its result (stored only if it is the first). One round trip; resolves whether a
   * result was stored.
   */
  async finishAttempt(agent: AgentDef, ok: boolean, durationMs: number, result?: TaskResult): Promise<boolean> {
    const pipeline = this.#redis
      .pipeline()
      .hsetnx(this.#keys.runAgents(this.runId), agent.id, JSON.stringify(agent))
      .hincrby(this.#keys.agentStats(this.runId), `${agent.id}|${ok ? 'done' : 'failed'}`, 1)
      .hincrbyfloat(this.#keys.agentStats(this.runId), `${agent.id}|busyMs`, durationMs.toFixed(3));
    if (result) pipeline.eval(RECORD_ONCE, 3, this.#keys.results(this.runId), this.#keys.log(this.runId), this.#keys.duplicates(this.runId), result.id, JSON.stringify(result));
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    return result ? replies[3]?.[1] === 1 : false;
  }

  /** Agents that worked on the run, with their counters. */
  async agentCounters(): Promise<Array<{ agent: AgentDef; done: number; failed: number; busyMs: number }>> {
    const [defs, stats] = await Promise.all([this.#redis.hgetall(this.#keys.runAgents(this.runId)), this.#redis.hgetall(this.#keys.agentStats(this.runId))]);
    return Object.values(defs)
      .map((json) => JSON.parse(json) as AgentDef)
      .map((agent) => ({
        agent,
        done: Number(stats[`${agent.id}|done`] ?? 0),
        failed: Number(stats[`${agent.id}|failed`] ?? 0),
        busyMs: Math.round(Number(stats[`${agent.id}|busyMs`] ?? 0) * 100) / 100,
      }));
  }

  /** Marks the run finished, keeps its report, and lets its keys expire after the retention period. */
  async finish(report: SwarmReport): Promise<void> {
    const keys = [this.#keys.run, this.#keys.results, this.#keys.log, this.#keys.dispatch, this.#keys.agentStats, this.#keys.runAgents, this.#keys.duplicates].map((k) => k.call(this.#keys, this.runId));
    const multi = this.#redis.multi().hset(this.#keys.run(this.runId), { status: report.status, finishedAt: String(Date.now()), report: JSON.stringify(report) });
    for (const key of keys) multi.expire(key, RUN_RETENTION_SECONDS);
    await multi.exec();
  }

  /**
   * Takes (or renews) the coordinator's lease on the run. Resolves false if another coordinator
   * holds it. The lease expires by itself when its holder dies.
   */
  async lease(holder: string, ttlMs: number): Promise<boolean> {
    const key = this.#keys.lease(this.runId);
    const taken = await this.#redis.set(key, holder, 'PX', ttlMs, 'NX');
    if (taken === 'OK') return true;
    const current = await this.#redis.get(key);
    if (current !== holder) return false;
    await this.#redis.pexpire(key, ttlMs);
    return true;
  }

  async leaseHolder(): Promise<{ holder: string; ttlMs: number } | undefined> {
    const key = this.#keys.lease(this.runId);
    const [holder, ttl] = await Promise.all([this.#redis.get(key), this.#redis.pttl(key)]);
    return holder ? { holder, ttlMs: ttl } : undefined;
  }

  async releaseLease(holder: string): Promise<void> {
    const key = this.#keys.lease(this.runId);
    if ((await this.#redis.get(key)) === holder) await this.#redis.del(key);
  }
}

/** Workers announce themselves with a key their heartbeat keeps alive. */
export class WorkerRegistry {
  readonly #redis: Redis;
  readonly #keys: SwarmKeys;

  constructor(redis: Redis, keys: SwarmKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async beat(info: WorkerInfo): Promise<void> {
    await this.#redis
      .multi()
      .sadd(this.#keys.workers, info.id)
      .set(this.#keys.worker(info.id), JSON.stringify(info), 'PX', info.heartbeatMs * 3)
      .exec();
  }

  async remove(workerId: string): Promise<void> {
    await this.#redis.multi().srem(this.#keys.workers, workerId).del(this.#keys.worker(workerId)).exec();
  }

  /** Live workers, and the ids of registered ones whose heartbeat stopped. */
  async list(): Promise<{ live: WorkerInfo[]; dead: string[] }> {
    const ids = await this.#redis.smembers(this.#keys.workers);
    if (ids.length === 0) return { live: [], dead: [] };
    const values = await this.#redis.mget(...ids.map((id) => this.#keys.worker(id)));
    const live: WorkerInfo[] = [];
    const dead: string[] = [];
    values.forEach((value, i) => {
      if (value) live.push(JSON.parse(value) as WorkerInfo);
      else dead.push(ids[i]);
    });
    live.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
    return { live, dead };
  }
}
