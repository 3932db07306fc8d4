import { EventEmitter } from 'node:events';
import * as os from 'node:os';
import { ValidationError } from '../errors';
import { PerformanceMonitor } from '../metrics/performance-monitor';
import { createDefaultRegistry } from '../operations/builtin';
import type { OperationRegistry } from '../operations/registry';
import type { BatchMetrics, BatchResult, HandlerContext } from '../operations/types';
import type { WorkerPool } from '../pool/types';
import { CircuitBreakerRegistry, type CircuitBreakerOptions } from '../resilience/circuit-breaker';
import type { FileStore } from '../workspace/file-store';
import type { Workspace } from '../workspace/workspace';
import { BatchRun, type ContextFactory, type StagedChanges } from './batch-run';
import { BATCH_EVENT_TYPES, EventChannel, type BatchEvent } from './events';
import { parseBatch, type ParsedBatch } from './parse-batch';
import { OperationPlan } from './plan';
import { anchorShapes } from './shape-anchors';

/** Where finished runs are recorded: the PerformanceMonitor. */
export interface RunRecorder {
  record(metrics: BatchMetrics): Promise<unknown>;
}

export interface EngineOptions {
  workspace: Workspace;
  /** @default createDefaultRegistry() — every built-in operation type */
  registry?: OperationRegistry;
  /** A pool to share, or a factory. @default a pool created on first use, destroyed by close() */
  pool?: WorkerPool | (() => WorkerPool);
  /** In-flight caps per operation type, under the batch's concurrency. @default { exec: os.availableParallelism() } */
  perTypeConcurrency?: Record<string, number>;
  /** Per-target circuit breakers (host, command). `false` disables them. @default { failureThreshold: 5, cooldownMs: 30000 } */
  breaker?: CircuitBreakerOptions | false;
  /** Records every run. `false` disables recording. @default PerformanceMonitor on `<root>/.sparc/metrics.jsonl` */
  monitor?: RunRecorder | false;
  /** After an abort, how long a handler that ignores its signal may take before its operation is given up. @default 10000 */
  abandonAfterMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Overrides the batch's own concurrency (e.g. `--sequential`). */
  concurrency?: number;
  label?: string;
  dryRun?: boolean;
  /** Record this run in the performance monitor. @default true */
  record?: boolean;
}

/**
 * Runs batches of operations concurrently: validation first (nothing runs on bad input), then a
 * dependency-ordered, priority-ordered schedule under a concurrency limit. One engine can run
 * many batches, at the same time too; breakers and the worker pool are shared between them.
 */
export class BatchEngine {
  readonly workspace: Workspace;
  readonly registry: OperationRegistry;
  readonly events = new EventEmitter();
  readonly breakers: CircuitBreakerRegistry | null;
  #perTypeLimits: Map<string, number>;
  #poolOption?: WorkerPool | (() => WorkerPool);
  #pool?: WorkerPool;
  #ownsPool = false;
  #monitor: RunRecorder | null;
  #abandonAfterMs: number;
  #batchSeq = 0;
  #closed = false;

  constructor(options: EngineOptions) {
    if (!options || !options.workspace) throw new ValidationError('engine options: "workspace" is required', [{ path: 'workspace', message: 'required' }]);
    this.workspace = options.workspace;
    this.registry = options.registry ?? createDefaultRegistry();
    this.breakers = options.breaker === false ? null : new CircuitBreakerRegistry(options.breaker ?? {});
    this.#perTypeLimits = new Map(Object.entries(options.perTypeConcurrency ?? { exec: os.availableParallelism() }));
    for (const [type, limit] of this.#perTypeLimits) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new ValidationError(`engine options: perTypeConcurrency.${type} must be a whole number ≥ 1 (got ${limit})`, [{ path: `perTypeConcurrency.${type}`, message: 'must be ≥ 1' }]);
      }
    }
    this.#poolOption = options.pool;
    this.#abandonAfterMs = options.abandonAfterMs ?? 10_000;
    if (options.monitor === false) this.#monitor = null;
    else if (options.monitor) this.#monitor = options.monitor;
    else this.#monitor = new PerformanceMonitor(this.workspace.root);
    this.events.on('error', () => undefined);
  }

  /** The shared worker pool, created on first use. */
  pool(): WorkerPool {
    if (this.#pool) return this.#pool;
    if (this.#closed) throw new ValidationError('engine is closed', [], 'ENGINE_CLOSED');
    if (typeof this.#poolOption === 'function') this.#pool = this.#poolOption();
    else if (this.#poolOption) this.#pool = this.#poolOption;
    else {
      // piscina loads only when a batch first needs a worker.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createWorkerPool } = require('../pool/worker-pool') as typeof import('../pool/worker-pool');
      this.#pool = createWorkerPool();
      this.#ownsPool = true;
    }
    return this.#pool;
  }

  /** Validates without running: throws the same ValidationError `run` would. */
  validate(batch: unknown): ParsedBatch {
    const parsed = parseBatch(batch, this.registry);
    if (parsed.atomic) assertAtomicSafe(parsed.plan);
    return parsed;
  }

  async run(batch: unknown, options: RunOptions = {}): Promise<BatchResult> {
    if (this.#closed) throw new ValidationError('engine is closed', [], 'ENGINE_CLOSED');
    // validate() plans a fresh object per call: the run may adjust it in place.
    const parsed = this.validate(batch);
    if (options.concurrency !== undefined) {
      if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
        throw new ValidationError(`concurrency must be a whole number ≥ 1 (got ${options.concurrency})`, [{ path: 'concurrency', message: 'must be ≥ 1' }]);
      }
      parsed.concurrency = options.concurrency;
    }
    if (options.label !== undefined) parsed.label = options.label;
    if (options.dryRun) parsed.dryRun = true;

    const staged: StagedChanges | null = parsed.atomic || parsed.dryRun ? (this.workspace.transaction() as unknown as StagedChanges) : null;
    const run = new BatchRun(
      {
        batchId: ++this.#batchSeq,
        events: this.events,
        breakers: this.breakers,
        perTypeLimits: this.#perTypeLimits,
        abandonAfterMs: this.#abandonAfterMs,
        contexts: new EngineContexts(parsed.plan, this.workspace, staged ?? this.workspace, () => this.pool()),
        signal: options.signal,
      },
      parsed,
      staged,
    );
    const result = await run.execute();
    if (this.#monitor && options.record !== false) {
      try {
        await this.#monitor.record(result.metrics);
      } catch (error) {
        // Recording is best effort: a read-only .sparc/ must not fail work that succeeded.
        this.events.emit('warning', error);
      }
    }
    return result;
  }

  /**
   * The run as an async iterator of its events, ending with `batch:end` (which carries the
   * result). Validation errors are thrown from the iterator.
   */
  stream(batch: unknown, options: RunOptions = {}): AsyncIterableIterator<BatchEvent> {
    const batchId = this.#batchSeq + 1;
    const listener = (event: BatchEvent) => {
      if (event.batchId === batchId) channel.push(event);
    };
    const channel = new EventChannel<BatchEvent>(() => {
      for (const type of BATCH_EVENT_TYPES) this.events.off(type, listener);
    });
    for (const type of BATCH_EVENT_TYPES) this.events.on(type, listener);
    this.run(batch, options).then(
      () => channel.end(),
      (error) => channel.end(error),
    );
    return channel;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pool && this.#ownsPool) await this.#pool.destroy();
    this.#pool = undefined;
  }
}

class EngineContexts implements ContextFactory {
  readonly #memo = new Map<string, unknown>();
  /** One function per run, not per operation. */
  readonly #memoize = <T>(key: string, make: () => T): T => {
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const value = make();
    this.#memo.set(key, value);
    return value;
  };

  constructor(
    readonly plan: OperationPlan,
    readonly workspace: Workspace,
    readonly files: FileStore,
    readonly pool: () => WorkerPool,
  ) {}

  make(index: number, attempt: number, signal: AbortSignal): HandlerContext {
    return { opId: this.plan.idOf(index), attempt, signal, workspace: this.workspace, files: this.files, pool: this.pool, memo: this.#memoize };
  }
}

anchorShapes(new EngineContexts(new OperationPlan(0, [], [], []), undefined as unknown as Workspace, undefined as unknown as FileStore, () => undefined as unknown as WorkerPool));

/**
 * In an atomic batch every write is staged until the end, so an operation that needs the disk
 * (exec) cannot see a write it depends on: refuse that before anything runs.
 */
function assertAtomicSafe(plan: OperationPlan): void {
  for (let index = 0; index < plan.size; index++) {
    if (!plan.handlers[index].needsDisk || plan.depCount(index) === 0) continue;
    const seen = new Set<number>();
    const stack = Array.from(plan.depsOf(index));
    while (stack.length > 0) {
      const dep = stack.pop() as number;
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (plan.handlers[dep].mutatesFiles) {
        const id = plan.idOf(index);
        const depId = plan.idOf(dep);
        throw new ValidationError(
          `operation "${id}" (${plan.typeOf(index)}) depends on "${depId}" (${plan.typeOf(dep)}), but in an atomic batch file changes are only written at the end; run it in a separate batch`,
          [{ path: `operations[${index}].dependsOn`, message: `depends on staged write "${depId}"` }],
          'ATOMIC_DEPENDENCY',
        );
      }
      stack.push(...plan.depsOf(dep));
    }
  }
}
