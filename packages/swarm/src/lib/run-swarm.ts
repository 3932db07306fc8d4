import { SwarmOptionsError } from './errors';
import { listLocalRuns, readLocalRun, type RunListing } from './local/local-store';
import { runLocalSwarm, type LocalSwarmOptions } from './local/local-swarm';
import type { Backend, SwarmReport } from './model/types';
import type { SwarmPlan } from './plan/parse-plan';
import { listRedisRuns, readRedisRun, resumeBullmqSwarm, runBullmqSwarm, type BullmqRunOptions } from './redis/run-bullmq';

export type RunSwarmOptions = LocalSwarmOptions &
  Partial<Omit<BullmqRunOptions, 'redis' | 'signal' | 'onEvent' | 'registry' | 'modes' | 'dir' | 'topology' | 'runId'>> & {
    /** @default "local" */
    backend?: Backend;
    /** Redis URL (bullmq backend). */
    redis?: string;
    /** bullmq: pick up this run instead of starting one. */
    resume?: string;
  };

/** Runs a plan on the chosen backend and resolves with the report. */
export async function runSwarm(plan: SwarmPlan | unknown, options: RunSwarmOptions = {}): Promise<SwarmReport> {
  const backend = options.backend ?? 'local';
  if (backend === 'local') {
    if (options.redis !== undefined) throw new SwarmOptionsError('--redis only applies to --backend bullmq', [{ path: 'redis', message: 'local backend' }]);
    if (options.resume !== undefined) throw new SwarmOptionsError('resuming is for bullmq runs: a local run lives and ends with its process', [{ path: 'resume', message: 'local backend' }]);
    return runLocalSwarm(plan, options);
  }
  if (!options.redis) throw new SwarmOptionsError('the bullmq backend needs --redis URL (e.g. redis://127.0.0.1:6379)', [{ path: 'redis', message: 'required' }]);
  const shared: Omit<BullmqRunOptions, 'runId' | 'topology'> = {
    redis: options.redis,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(options.dir ? { dir: options.dir } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.modes ? { modes: options.modes } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.tickMs ? { tickMs: options.tickMs } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.reconnectForMs !== undefined ? { reconnectForMs: options.reconnectForMs } : {}),
  };
  if (options.resume) return resumeBullmqSwarm(options.resume, shared);
  return runBullmqSwarm(plan, { ...shared, ...(options.topology ? { topology: options.topology } : {}), ...(options.runId ? { runId: options.runId } : {}) });
}

export interface StatusOptions {
  /** Workspace of a local run. */
  dir?: string;
  /** Redis URL of a bullmq run. */
  redis?: string;
  prefix?: string;
}

/** A run's report, from `.sparc/swarm/` (local) or Redis (bullmq), finished or not. */
export async function swarmStatus(runId: string, options: StatusOptions): Promise<SwarmReport> {
  if (options.redis) return readRedisRun(options.redis, runId, options.prefix);
  return readLocalRun(options.dir ?? process.cwd(), runId);
}

/** Runs known to the store, oldest first. */
export async function listRuns(options: StatusOptions): Promise<RunListing[]> {
  if (options.redis) return (await listRedisRuns(options.redis, options.prefix)) as RunListing[];
  return listLocalRuns(options.dir ?? process.cwd());
}
