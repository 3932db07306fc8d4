import { OperationError, SparcError } from '../errors';

/** Where a task's module and export are named in messages: `/abs/hash.js#sha256`. */
export function describeTask(module: string, exportName: string | undefined): string {
  return `${module}#${exportName ?? 'default'}`;
}

/**
 * The worker thread running the task died: it called `process.exit()`, threw outside the task's
 * promise chain, or could not send its result back. Only that task fails; the thread is replaced.
 */
export class WorkerCrashedError extends OperationError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: string } = {}) {
    super(opts.code ?? 'WORKER_CRASHED', message, { cause: opts.cause, details: opts.details, retryable: false });
  }
}

/** The worker thread hit its `resourceLimits` heap limit. Only that task fails. */
export class WorkerOutOfMemoryError extends WorkerCrashedError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { ...opts, code: 'WORKER_OUT_OF_MEMORY' });
  }
}

/** More tasks are waiting than `maxQueue` allows. Back-pressure, so worth retrying after a pause. */
export class PoolQueueFullError extends OperationError {
  constructor(readonly maxQueue: number) {
    super('POOL_QUEUE_FULL', `worker pool queue is full (maxQueue ${maxQueue}); retry when tasks have drained`, {
      retryable: true,
      details: { maxQueue },
    });
  }
}

/** What a task function threw, carried back from the worker with its original name and message. */
export interface RemoteErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** The original `code` when it was a string or number. */
  code?: string | number;
}

/**
 * The task function (or loading its module) failed inside the worker. `message` is the original
 * message; the original name, code and stack are kept on `remote` and rebuilt as `cause`.
 */
export class CpuTaskError extends OperationError {
  readonly remote: RemoteErrorInfo;
  constructor(code: CpuTaskErrorCode, remote: RemoteErrorInfo, task: { module: string; exportName?: string }) {
    const details: Record<string, unknown> = { name: remote.name, module: task.module, export: task.exportName ?? 'default' };
    if (remote.code !== undefined) details.code = remote.code;
    super(code, remote.message, { details, cause: rebuildError(remote) });
    this.remote = remote;
  }
}

export type CpuTaskErrorCode = 'CPU_TASK_FAILED' | 'CPU_MODULE_LOAD_FAILED' | 'CPU_EXPORT_NOT_FOUND' | 'CPU_RESULT_NOT_CLONEABLE' | 'CPU_PAYLOAD_NOT_CLONEABLE' | 'CPU_CHUNK_MISMATCH';

/** The compiled worker entry is missing: the package was used from source without being built. */
export class WorkerEntryMissingError extends SparcError {
  constructor(readonly expectedPath: string) {
    super(
      'WORKER_ENTRY_MISSING',
      `worker entry ${expectedPath} does not exist: build @sparc/batch-core first (\`npx nx run batch-core:build\`, or \`npm run build\` in packages/batch-core)`,
    );
  }
}

function rebuildError(remote: RemoteErrorInfo): Error {
  const error = new Error(remote.message);
  error.name = remote.name;
  if (remote.stack !== undefined) error.stack = remote.stack;
  if (remote.code !== undefined) (error as Error & { code?: string | number }).code = remote.code;
  return error;
}
