export type { CpuTask, WorkerPool, WorkerPoolStats } from './types';
export type { WorkerPoolOptions, WorkerResourceLimits, ResolvedWorkerPoolOptions } from './options';
export { resolveWorkerPoolOptions } from './options';
export { createWorkerPool, ThreadWorkerPool } from './worker-pool';
export { runMany, type RunManyOptions } from './run-many';
export { cpuHandler, cpuParamsSchema, type CpuParams } from './cpu-handler';
export { resolveTaskModule } from './task-module';
export { taskRunnerPath } from './worker-entry';
export { CpuTaskError, PoolQueueFullError, WorkerCrashedError, WorkerEntryMissingError, WorkerOutOfMemoryError, type CpuTaskErrorCode, type RemoteErrorInfo } from './errors';
