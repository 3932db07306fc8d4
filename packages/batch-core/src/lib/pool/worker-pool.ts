import { Piscina } from 'piscina';
import { CancelledError, isErrorLike, ValidationError } from '../errors';
import { CpuTaskError, PoolQueueFullError, WorkerCrashedError, WorkerOutOfMemoryError, describeTask, type CpuTaskErrorCode } from './errors';
import { resolveWorkerPoolOptions, type ResolvedWorkerPoolOptions, type WorkerPoolOptions } from './options';
import type { FailureStage, WorkerOutcome, WorkerRequest } from './protocol';
import type { CpuTask, WorkerPool, WorkerPoolStats } from './types';
import { taskRunnerPath } from './worker-entry';

/** Creates a pool of worker threads for CPU-bound tasks. Throws a ValidationError for bad options. */
export function createWorkerPool(options?: WorkerPoolOptions): WorkerPool {
  return new ThreadWorkerPool(resolveWorkerPoolOptions(options));
}

const EXIT_MESSAGE = /^worker exited with code: (-?\d+)/;

const STAGE_CODES: Record<FailureStage, CpuTaskErrorCode> = {
  load: 'CPU_MODULE_LOAD_FAILED',
  export: 'CPU_EXPORT_NOT_FOUND',
  call: 'CPU_TASK_FAILED',
  result: 'CPU_RESULT_NOT_CLONEABLE',
};

/**
 * A piscina pool running every task through the generic task runner. Failures of the task's own
 * code come back as `CpuTaskError`; a dying thread (exit, uncaught error, out of memory) fails only
 * the task it was running, and piscina replaces the thread, so the pool goes on.
 */
export class ThreadWorkerPool implements WorkerPool {
  readonly maxThreads: number;
  readonly #piscina: Piscina<WorkerRequest, WorkerOutcome>;
  readonly #options: ResolvedWorkerPoolOptions;
  #pending = 0;
  #completed = 0;
  #failed = 0;
  #destroyed: Promise<void> | undefined;

  constructor(options: ResolvedWorkerPoolOptions) {
    this.#options = options;
    this.maxThreads = options.maxThreads;
    this.#piscina = new Piscina<WorkerRequest, WorkerOutcome>({
      filename: taskRunnerPath(),
      maxThreads: options.maxThreads,
      minThreads: options.minThreads,
      idleTimeout: options.idleTimeoutMs,
      // maxQueue is enforced in run(): piscina never counts tasks that carry an AbortSignal (all of
      // the engine's do) against its own limit.
      resourceLimits: options.resourceLimits,
      execArgv: options.execArgv,
      // Our own counters feed stats(); piscina's per-task histogram would be overhead on every task.
      recordTiming: false,
    });
    // piscina emits 'error' when a thread dies with no task to blame (e.g. a timer a finished task
    // left behind). The thread is already replaced; without a listener the EventEmitter would
    // throw and take the whole process down.
    this.#piscina.on('error', () => undefined);
  }

  run<T = unknown>(task: CpuTask, opts: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.#destroyed !== undefined) return Promise.reject(new CancelledError('worker pool has been destroyed'));
    let request: WorkerRequest;
    try {
      request = toRequest(task);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = opts.signal;
    if (signal?.aborted) {
      this.#failed++;
      return Promise.reject(abortError(signal));
    }
    if (this.#pending >= this.maxThreads + this.#options.maxQueue) {
      this.#failed++;
      return Promise.reject(new PoolQueueFullError(this.#options.maxQueue));
    }
    this.#pending++;
    return this.#piscina.run(request, { signal }).then(
      (outcome) => {
        this.#pending--;
        if (outcome.ok) {
          this.#completed++;
          return outcome.value as T;
        }
        this.#failed++;
        throw new CpuTaskError(STAGE_CODES[outcome.stage], outcome.error, request);
      },
      (error: unknown) => {
        this.#pending--;
        this.#failed++;
        throw this.#translate(error, request, signal);
      },
    );
  }

  /** `completed` counts tasks that returned a value; `failed` every rejected task, aborted ones included. */
  stats(): WorkerPoolStats {
    const queued = this.#destroyed === undefined ? this.#piscina.queueSize : 0;
    return {
      threads: this.#piscina.threads.length,
      completed: this.#completed,
      failed: this.#failed,
      queued,
      running: Math.max(0, this.#pending - queued),
    };
  }

  /** Stops every thread. Queued and running tasks reject with CancelledError. Safe to call twice. */
  destroy(): Promise<void> {
    this.#destroyed ??= this.#piscina.destroy();
    return this.#destroyed;
  }

  #translate(error: unknown, request: WorkerRequest, signal: AbortSignal | undefined): Error {
    const where = describeTask(request.module, request.exportName);
    if (this.#destroyed !== undefined) return new CancelledError(`worker pool was destroyed before ${where} finished`);
    if (signal?.aborted) return abortError(signal);
    if (!isErrorLike(error)) {
      // A thread that cannot post its result dies with an empty, prototype-less value.
      return new WorkerCrashedError(`worker thread died without an error while running ${where}; a result holding something that cannot be structured-cloned (e.g. a function) does this`, {
        details: { module: request.module, export: request.exportName },
      });
    }
    const details: Record<string, unknown> = { module: request.module, export: request.exportName };
    if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const limit = this.#options.resourceLimits?.maxOldGenerationSizeMb;
      if (limit !== undefined) details.maxOldGenerationSizeMb = limit;
      return new WorkerOutOfMemoryError(`worker thread ran out of memory while running ${where}${limit !== undefined ? ` (heap limit ${limit} MB)` : ''}: ${error.message}`, { cause: error, details });
    }
    if (error.name === 'DataCloneError') {
      return new CpuTaskError('CPU_PAYLOAD_NOT_CLONEABLE', { name: error.name, message: `payload for ${where} cannot be sent to a worker thread: ${error.message}` }, request);
    }
    const exit = EXIT_MESSAGE.exec(error.message);
    if (exit) {
      details.exitCode = Number(exit[1]);
      return new WorkerCrashedError(`worker thread exited with code ${exit[1]} while running ${where}`, { cause: error, details });
    }
    details.name = error.name;
    return new WorkerCrashedError(`worker thread crashed while running ${where}: ${error.name}: ${error.message}`, { cause: error, details });
  }
}

function toRequest(task: CpuTask): WorkerRequest {
  if (task === null || typeof task !== 'object') throw new ValidationError('a CPU task must be an object with a "module"', [{ path: '', message: 'expected an object' }]);
  if (typeof task.module !== 'string' || task.module.length === 0) {
    throw new ValidationError(`CPU task "module" must be a non-empty string (got ${JSON.stringify(task.module)})`, [{ path: 'module', message: 'expected a non-empty string' }]);
  }
  if (task.exportName !== undefined && (typeof task.exportName !== 'string' || task.exportName.length === 0)) {
    throw new ValidationError(`CPU task "exportName" must be a non-empty string (got ${JSON.stringify(task.exportName)})`, [{ path: 'exportName', message: 'expected a non-empty string' }]);
  }
  return { module: task.module, exportName: task.exportName ?? 'default', payload: task.payload };
}

/**
 * The signal's reason when the caller gave a real one (the engine aborts with TimeoutError or
 * CancelledError); a bare `abort()` yields a DOMException without a useful code, so CancelledError.
 */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (isErrorLike(reason) && reason.name !== 'AbortError') return reason;
  if (typeof reason === 'string' && reason.length > 0) return new CancelledError(reason);
  return new CancelledError('task aborted');
}

