/** A CPU task for the pool: a named export of a JS module, called with one structured-clonable payload. */
export interface CpuTask {
  /** Absolute path (or package specifier) of a CommonJS/ESM module the worker can load. */
  module: string;
  /** Export to call; `default` when omitted. */
  exportName?: string;
  payload?: unknown;
}

export interface WorkerPoolStats {
  threads: number;
  completed: number;
  failed: number;
  queued: number;
  running: number;
}

export interface WorkerPool {
  readonly maxThreads: number;
  run<T = unknown>(task: CpuTask, opts?: { signal?: AbortSignal }): Promise<T>;
  stats(): WorkerPoolStats;
  destroy(): Promise<void>;
}
