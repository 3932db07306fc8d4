import { EventEmitter } from 'node:events';
import { ValidationError, type ErrorInfo } from '../errors';
import { defineHandler } from '../operations/registry';
import type { BatchResult, HandlerContext, OperationResult, RetryPolicy } from '../operations/types';
import { BatchRun } from '../engine/batch-run';
import { anchorShapes } from '../engine/shape-anchors';
import type { ParsedBatch, PlannedOperation } from '../engine/parse-batch';
import { DEFAULT_CONCURRENCY } from '../engine/parse-batch';
import { z } from 'zod';

export type Task<T> = (signal: AbortSignal) => T | Promise<T>;

export interface ParallelOptions {
  /** @default 6 */
  concurrency?: number;
  /** Per-task timeout; the task's signal aborts when it passes. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  /** Stop at the first failure and cancel the rest. @default true */
  failFast?: boolean;
  /** Observe the run (op:start, op:end...). */
  events?: EventEmitter;
}

export type SettledTask<T> = { status: 'succeeded'; value: T; durationMs: number; attempts: number } | { status: Exclude<OperationResult['status'], 'succeeded'>; error: unknown; info: ErrorInfo; durationMs: number; attempts: number };

const TASK_TYPE = 'task';
const taskHandler = defineHandler<Task<unknown>, unknown>({
  type: TASK_TYPE,
  params: z.any() as z.ZodType<Task<unknown>>,
  run: (task, ctx) => task(ctx.signal),
});

const silentEvents = new EventEmitter();
const NO_IDS: string[] = [];
const NO_DEPS: number[] = [];

function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError(`concurrency must be a whole number ≥ 1 (got ${concurrency})`, [{ path: 'concurrency', message: 'must be ≥ 1' }]);
  }
}

/** A task as a planned operation; its id is derived on demand so no string is made per task. */
class TaskOperation implements PlannedOperation {
  constructor(
    readonly index: number,
    readonly params: Task<unknown>,
    readonly timeoutMs: number | undefined,
    readonly retry: RetryPolicy | undefined,
  ) {}

  get id(): string {
    return String(this.index);
  }

  // What every task shares lives on the prototype, not in each of possibly millions of tasks.
  get type(): string {
    return TASK_TYPE;
  }
  get handler(): typeof taskHandler {
    return taskHandler;
  }
  get dependsOn(): string[] {
    return NO_IDS;
  }
  get deps(): number[] {
    return NO_DEPS;
  }
  get dependents(): number[] {
    return NO_DEPS;
  }
  get priority(): number {
    return 0;
  }
}

anchorShapes(new TaskOperation(0, () => undefined, undefined, undefined));

async function runTasks<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions, failFast: boolean): Promise<{ result: BatchResult; run: BatchRun }> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  checkConcurrency(concurrency);
  const operations: PlannedOperation[] = new Array(tasks.length);
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index];
    if (typeof task !== 'function') throw new ValidationError(`tasks[${index}] must be a function`, [{ path: `tasks[${index}]`, message: 'not a function' }]);
    operations[index] = new TaskOperation(index, task, options.timeoutMs, options.retry);
  }
  const batch: ParsedBatch = { operations, concurrency, failFast, atomic: false, dryRun: false, uniformPriority: true, types: [TASK_TYPE] };
  // The task handler reads nothing but the signal, so attempts on the batch signal share one context.
  let shared: HandlerContext | undefined;
  const run = new BatchRun(
    {
      batchId: 0,
      events: options.events ?? silentEvents,
      breakers: null,
      perTypeLimits: new Map(),
      abandonAfterMs: 10_000,
      makeContext: (opId, attempt, signal) => {
        if (shared?.signal === signal) return shared;
        const ctx = { opId, attempt, signal } as HandlerContext;
        if (shared === undefined) shared = ctx;
        return ctx;
      },
      signal: options.signal,
      keepErrors: true,
    },
    batch,
    null,
  );
  return { result: await run.execute(), run };
}

/**
 * Runs functions through the engine's scheduler (concurrency limit, timeouts, retries, failFast)
 * and returns every outcome in input order, failures included.
 */
export async function parallelSettled<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions = {}): Promise<SettledTask<T>[]> {
  const { result, run } = await runTasks(tasks, options, options.failFast ?? false);
  return result.results.map((r, index): SettledTask<T> =>
    r.status === 'succeeded'
      ? { status: 'succeeded', value: r.output as T, durationMs: r.durationMs, attempts: r.attempts }
      : { status: r.status, error: run.errorOf(index) ?? r.error, info: r.error as ErrorInfo, durationMs: r.durationMs, attempts: r.attempts },
  );
}

/**
 * Runs functions concurrently and resolves with their values in input order. Rejects with the
 * first failure's own error and cancels the tasks still waiting (failFast by default).
 */
export async function parallel<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions = {}): Promise<T[]> {
  const { result, run } = await runTasks(tasks, options, options.failFast ?? true);
  const results = result.results;
  const values: T[] = new Array(results.length);
  let failed = -1;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r.status === 'succeeded') values[i] = r.output as T;
    // The failure that caused the stop, not the cancellations it caused.
    else if (failed < 0 || (results[failed].status === 'cancelled' && r.status !== 'cancelled')) failed = i;
  }
  if (failed >= 0) throw run.errorOf(failed) ?? results[failed].error;
  return values;
}

/** `parallel` over items: `fn(item, index, signal)` for each. */
export function forEach<I, T>(items: Iterable<I>, fn: (item: I, index: number, signal: AbortSignal) => T | Promise<T>, options: ParallelOptions = {}): Promise<T[]> {
  const list = Array.from(items);
  return parallel(
    list.map((item, index) => (signal: AbortSignal) => fn(item, index, signal)),
    options,
  );
}
