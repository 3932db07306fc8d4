import * as os from 'node:os';
import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors';

/** V8 heap limits of each worker thread, as Node's `Worker` `resourceLimits`. */
export interface WorkerResourceLimits {
  /** Main heap size; a worker that exceeds it fails its task with `WORKER_OUT_OF_MEMORY`. */
  maxOldGenerationSizeMb?: number;
  /** Heap space for recently created objects. */
  maxYoungGenerationSizeMb?: number;
  /** Memory reserved for generated code. */
  codeRangeSizeMb?: number;
  /** Largest stack of the thread. @default 4 */
  stackSizeMb?: number;
}

export interface WorkerPoolOptions {
  /**
   * Most worker threads alive at once.
   * @default os.availableParallelism()
   */
  maxThreads?: number;
  /**
   * Threads started with the pool and kept alive while idle, so tasks never wait for a thread to
   * boot. Lower it to save memory when the pool is mostly idle.
   * @default maxThreads
   */
  minThreads?: number;
  /**
   * How long a thread above `minThreads` may stay idle before it is stopped, in milliseconds.
   * @default 30000
   */
  idleTimeoutMs?: number;
  /**
   * Most tasks waiting while every thread is busy; one more is rejected with `POOL_QUEUE_FULL`.
   * @default Infinity
   */
  maxQueue?: number;
  /**
   * Heap limits applied to every worker thread.
   * @default undefined (Node's defaults)
   */
  resourceLimits?: WorkerResourceLimits;
  /**
   * Node options for the worker threads (e.g. `['--require', 'ts-node/register/transpile-only']`).
   * @default process.execArgv (inherited, as Node's `Worker` does)
   */
  execArgv?: string[];
}

/** Every option settled: what the pool runs with. */
export interface ResolvedWorkerPoolOptions {
  maxThreads: number;
  minThreads: number;
  idleTimeoutMs: number;
  maxQueue: number;
  resourceLimits?: WorkerResourceLimits;
  execArgv?: string[];
}

const positiveSize = z.number().positive().finite();

const optionsSchema = z.strictObject({
  maxThreads: z.number().int().min(1).optional(),
  minThreads: z.number().int().min(0).optional(),
  idleTimeoutMs: z.number().int().min(0).optional(),
  maxQueue: z.union([z.number().int().min(0), z.literal(Number.POSITIVE_INFINITY)]).optional(),
  resourceLimits: z
    .strictObject({
      maxOldGenerationSizeMb: positiveSize.optional(),
      maxYoungGenerationSizeMb: positiveSize.optional(),
      codeRangeSizeMb: positiveSize.optional(),
      stackSizeMb: positiveSize.optional(),
    })
    .optional(),
  execArgv: z.array(z.string()).optional(),
});

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** Validates user options and fills in defaults. Throws a ValidationError naming the option and the bad value. */
export function resolveWorkerPoolOptions(input: WorkerPoolOptions = {}): ResolvedWorkerPoolOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => toValidationIssues(issue, input));
    throw new ValidationError(`invalid worker pool options: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  const options = parsed.data;
  const maxThreads = options.maxThreads ?? Math.max(1, os.availableParallelism());
  const minThreads = options.minThreads ?? maxThreads;
  if (minThreads > maxThreads) {
    const message = `option "minThreads" (${minThreads}) must not exceed "maxThreads" (${maxThreads})`;
    throw new ValidationError(`invalid worker pool options: ${message}`, [{ path: 'minThreads', message }]);
  }
  const resolved: ResolvedWorkerPoolOptions = {
    maxThreads,
    minThreads,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxQueue: options.maxQueue ?? Number.POSITIVE_INFINITY,
  };
  if (options.resourceLimits !== undefined) resolved.resourceLimits = options.resourceLimits;
  if (options.execArgv !== undefined) resolved.execArgv = options.execArgv;
  return resolved;
}

function toValidationIssues(issue: z.core.$ZodIssue, input: unknown): ValidationIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = formatPath([...issue.path, key]);
      return { path, message: `unknown option "${path}"` };
    });
  }
  const path = formatPath(issue.path);
  const where = path === '' ? 'options' : `option "${path}"`;
  return [{ path, message: `${where}: ${issue.message} (got ${showValue(valueAt(input, issue.path))})` }];
}

function valueAt(input: unknown, keys: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function showValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function formatPath(keys: readonly PropertyKey[]): string {
  return keys.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`)).join('');
}
