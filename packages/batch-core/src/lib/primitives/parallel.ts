import { EventEmitter } from 'node:events';
import { ValidationError, type ErrorInfo } from '../errors';
import { defineHandler } from '../operations/registry';
import type { HandlerContext, OperationResult, RetryPolicy } from '../operations/types';
import { BatchRun } from '../engine/batch-run';
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

/**
 * Runs functions through the engine's scheduler (concurrency limit, timeouts, retries, failFast)
 * and returns every outcome in input order, failures included.
 */
export async function parallelSettled<T>(tasks: ReadonlyArray<Task<T>>, options: ParallelOptions = {}): Promise<SettledTask<T>[]> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  checkConcurrency(concurrency);
  const operations: PlannedOperation[] = [];
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index];
    if (typeof task !== 'function') throw new ValidationError(`tasks[${index}] must be a function`, [{ path: `tasks[${index}]`, message: 'not a function' }]);
    operations.push({
      index,
      id: String(index),
      type: TASK_TYPE,
      params: task,
      handler: taskHandler,
      dependsOn: NO_IDS,
      deps: NO_DEPS,
      dependents: NO_DEPS,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      priority: 0,
    });
  }
  const batch: ParsedBatch = { operations, concurrency, failFast: options.failFast ?? false, atomic: false, dryRun: false, uniformPriority: true, types: [TASK_TYPE] };
  const run = new BatchRun(
    {
      batchId: 0,
      events: options.events ?? silentEvents,
      breakers: null,
      perTypeLimits: new Map(),
      abandonAfterMs: 10_000,
      // Function tasks receive only their signal; they have no workspace or file store.
      makeContext: (opId, attempt, signal) => ({ opId, attempt, signal }) as HandlerContext,
      signal: options.signal,
      keepErrors: true,
    },
    batch,
    null,
  );
  const result = await run.execute();
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
  const settled = await parallelSettled(tasks, { ...options, failFast: options.failFast ?? true });
  const values: T[] = new Array(settled.length);
  let firstFailure: SettledTask<T> | undefined;
  for (let i = 0; i < settled.length; i++) {
    const outcome = settled[i];
    if (outcome.status === 'succeeded') values[i] = outcome.value;
    else if (!firstFailure || (firstFailure.status === 'cancelled' && outcome.status !== 'cancelled')) firstFailure = outcome;
  }
  if (firstFailure && firstFailure.status !== 'succeeded') throw firstFailure.error;
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
