import type { z } from 'zod';
import type { ErrorInfo } from '../errors';
import type { FileStore } from '../workspace/file-store';
import type { Workspace } from '../workspace/workspace';
import type { WorkerPool } from '../pool/types';

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  backoffMs: number;
  /** Upper bound for one backoff delay. */
  maxBackoffMs?: number;
  /** Multiplier per attempt (exponential backoff). */
  factor?: number;
}

/** An operation as data, after validation. `params` has been parsed by its type's schema. */
export interface Operation<P = unknown> {
  id: string;
  type: string;
  params: P;
  dependsOn: string[];
  timeoutMs?: number;
  retry?: RetryPolicy;
  priority: number;
}

/** What every handler receives besides its params. */
export interface HandlerContext {
  opId: string;
  attempt: number;
  /** Aborted on timeout, on failFast, and when the batch is cancelled. Handlers must honour it. */
  signal: AbortSignal;
  workspace: Workspace;
  /** Where file mutations go: the workspace itself, or the batch's transaction when `atomic`. */
  files: FileStore;
  /** The shared worker pool, created on first use. */
  pool(): WorkerPool;
  /**
   * A value computed once per batch run and shared by its operations (e.g. the module file that
   * every `cpu` operation of the batch names). Absent outside an engine run: compute directly.
   */
  memo?<T>(key: string, make: () => T): T;
}

export interface OperationHandler<P = unknown, R = unknown> {
  type: string;
  params: z.ZodType<P>;
  /** May return synchronously: the engine then completes the operation without a microtask hop. */
  run(params: P, ctx: HandlerContext): R | Promise<R>;
  /** Circuit breaker key (host, command...). No key: no breaker. */
  target?(params: P): string | undefined;
  /** Changes files (staged in the transaction of an atomic batch). */
  mutatesFiles?: boolean;
  /** Needs earlier writes to be on disk (exec): may not depend on a staged write in an atomic batch. */
  needsDisk?: boolean;
  /** Only reads: safe to run in a dry run (mutating file handlers run there too, against the staging transaction). */
  readOnly?: boolean;
  /** Describes what would happen, for dry runs. */
  describe?(params: P): string;
}

export type OperationStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'timed-out';
export type BatchStatus = 'succeeded' | 'partial' | 'failed';

export interface OperationResult {
  id: string;
  type: string;
  status: OperationStatus;
  output?: unknown;
  error?: ErrorInfo;
  attempts: number;
  /** Milliseconds from batch start to this operation's first start. */
  startMs: number;
  durationMs: number;
}

export interface BatchMetrics {
  label?: string;
  operations: number;
  wallMs: number;
  /** Sum of every operation's own duration. */
  sumOpMs: number;
  /** sumOpMs / wallMs: measured, not estimated. */
  speedup: number;
  peakInFlight: number;
  concurrency: number;
  successRate: number;
  counts: Record<OperationStatus, number>;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface BatchResult {
  label?: string;
  status: BatchStatus;
  dryRun: boolean;
  atomic: boolean;
  results: OperationResult[];
  metrics: BatchMetrics;
  /** Unified diff of the staged changes: atomic dry runs only. */
  diff?: string;
  /** Atomic batches: whether the staged changes were written. */
  committed?: boolean;
  /** Set when an atomic commit failed; every staged change was rolled back. */
  commitError?: ErrorInfo;
}

/** A handler of any params type, for collections of handlers (params are validated at run time). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperationHandler = OperationHandler<any, any>;
