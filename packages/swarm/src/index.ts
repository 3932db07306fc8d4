// @sparc/swarm — the public API. Everything else under lib/ is internal.

// Plans
export { planSchema, agentSpecSchema, taskSpecSchema, componentSpecSchema, NAME_PATTERN, type PlanInput, type AgentSpec, type TaskSpec, type ComponentSpec } from './lib/plan/schema';
export { parsePlan, loadPlan, planToDocument, assertCapabilitiesCovered, type SwarmPlan, type PlanAgent } from './lib/plan/parse-plan';
export { expandComponents } from './lib/plan/components';

// Model
export {
  TOPOLOGIES,
  BACKENDS,
  KNOWN_AGENT_TYPES,
  type Topology,
  type Backend,
  type TaskDef,
  type TaskKind,
  type AgentDef,
  type TaskResult,
  type TaskStatus,
  type Route,
  type RunStatus,
  type SwarmReport,
  type TaskReport,
  type AgentReport,
  type RunMetrics,
  type SwarmEvent,
  type Upstream,
} from './lib/model/types';
export { PlanError, RedisUnavailableError, RunNotFoundError, RunLockedError, SwarmOptionsError } from './lib/errors';

// Running
export { runSwarm, swarmStatus, listRuns, type RunSwarmOptions, type StatusOptions } from './lib/run-swarm';
export { LocalSwarm, runLocalSwarm, type LocalSwarmOptions } from './lib/local/local-swarm';
export { readLocalRun, listLocalRuns, SWARM_DIR, type RunListing } from './lib/local/local-store';
export { runBullmqSwarm, resumeBullmqSwarm, readRedisRun, listRedisRuns, type BullmqRunOptions } from './lib/redis/run-bullmq';
export { SwarmWorker, workerOptionsSchema, type SwarmWorkerOptions, type SwarmWorkerSettings, type WorkerAgentReport } from './lib/redis/swarm-worker';
export { connectRedis, parseRedisUrl, displayUrl, DEFAULT_REDIS_URL } from './lib/redis/connection';
export { DEFAULT_PREFIX } from './lib/redis/keys';
export { TaskExecutor, type ModeRunner, type ModeRunContext, type TaskExecutorOptions } from './lib/execution/task-executor';
export { ROUTERS, type Router, type RoutingView } from './lib/topology/routing';
export { buildReport } from './lib/report';

// For tests and benchmarks: a private redis-server on a free port.
export { startRedisServer, findRedisServer, type RedisServerHandle } from './lib/testing/redis-server';
