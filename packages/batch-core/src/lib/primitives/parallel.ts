import { EventEmitter } from 'node:events';
import { ValidationError, type ErrorInfo } from '../errors';
import { defineHandler } from '../operations/registry';
import type { HandlerContext, OperationHandler, OperationResult, RetryPolicy } from '../operations/types';
import { BatchRun, type ContextFactory } from '../engine/batch-run';
import { anchorShapes } from '../engine/shape-anchors';
import { DEFAULT_CONCURRENCY, planned } from '../engine/parse-batch';
import { OperationPlan } from '../engine/plan';
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

function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError(`concurrency must be a whole number ≥ 1 (got ${concurrency})`, [{ path: 'concurrency', message: 'must be ≥ 1' }]);
  }
}

/** The task handler reads nothing but the signal, so attempts on the batch signal share one context. */
class TaskContexts implements ContextFactory {
  #shared: HandlerContext | undefined;

  make(index: number, attempt: number, signal: AbortSignal): HandlerContext {
    if (this.#shared?.signal === signal) return this.#shared;
    const ctx = { opId: String(index), attempt, signal } as HandlerContext;
    this.#shared ??= ctx;
    return ctx;
  }
}

anchorShapes(new TaskContexts());

async function runTasks<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions, failFast: boolean): Promise<BatchRun> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  checkConcurrency(concurrency);
  const size = tasks.length;
  for (let index = 0; index < size; index++) {
    if (typeof tasks[index] !== 'function') throw new ValidationError(`tasks[${index}] must be a function`, [{ path: `tasks[${index}]`, message: 'not a function' }]);
  }
  // Ids are the task indexes, and the tasks themselves are the params: nothing per task is copied.
  const plan = new OperationPlan(size, null, new Array<OperationHandler>(size).fill(taskHandler), tasks);
  if (options.timeoutMs !== undefined) plan.timeouts = new Float64Array(size).fill(options.timeoutMs);
  if (options.retry !== undefined) plan.retries = new Array<RetryPolicy>(size).fill(options.retry);
  const batch = planned(plan, { concurrency, failFast, atomic: false, dryRun: false, uniformPriority: true, types: [TASK_TYPE] });
  const run = new BatchRun(
    {
      batchId: 0,
      events: options.events ?? silentEvents,
      breakers: null,
      perTypeLimits: new Map(),
      abandonAfterMs: 10_000,
      contexts: new TaskContexts(),
      signal: options.signal,
      keepErrors: true,
    },
    batch,
    null,
  );
  await run.execute();
  return run;
}

/**
 * Runs functions through the engine's scheduler (concurrency limit, timeouts, retries, failFast)
 * and returns every outcome in input order, failures included.
 */
export async function parallelSettled<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions = {}): Promise<SettledTask<T>[]> {
  const run = await runTasks(tasks, options, options.failFast ?? false);
  const columns = run.columns;
  return Array.from(tasks, (_, index): SettledTask<T> => {
    const status = columns.statusOf(index);
    const durationMs = columns.durationOf(index);
    const attempts = columns.attempts[index];
    if (status === 'succeeded') return { status, value: columns.outputOf(index) as T, durationMs, attempts };
    const info = columns.errorOf(index) as ErrorInfo;
    return { status, error: run.errorOf(index) ?? info, info, durationMs, attempts };
  });
}

/**
 * Runs functions concurrently and resolves with their values in input order. Rejects with the
 * first failure's own error and cancels the tasks still waiting (failFast by default).
 */
export async function parallel<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions = {}): Promise<T[]> {
  const run = await runTasks(tasks, options, options.failFast ?? true);
  const columns = run.columns;
  const size = tasks.length;
  const values: T[] = new Array(size);
  let failed = -1;
  for (let i = 0; i < size; i++) {
    const status = columns.statusOf(i);
    if (status === 'succeeded') values[i] = columns.outputOf(i) as T;
    // The failure that caused the stop, not the cancellations it caused.
    else if (failed < 0 || (columns.statusOf(failed) === 'cancelled' && status !== 'cancelled')) failed = i;
  }
  if (failed >= 0) throw run.errorOf(failed) ?? columns.errorOf(failed);
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
