import { setMaxListeners, type EventEmitter } from 'node:events';
import { CancelledError, isRetryable, PathOutsideWorkspaceError, TimeoutError, toErrorInfo, ValidationError, type ErrorInfo } from '../errors';
import type { BatchMetrics, BatchResult, HandlerContext, OperationResult, OperationStatus } from '../operations/types';
import { abortableDelay, backoffDelay } from '../resilience/backoff';
import type { CircuitBreakerRegistry } from '../resilience/circuit-breaker';
import type { FileStore } from '../workspace/file-store';
import type { BatchEvent } from './events';
import type { ParsedBatch, PlannedOperation } from './parse-batch';
import { FifoQueue, PriorityQueue, type ReadyQueue } from './ready-queue';

/** What a run needs from its engine. */
export interface RunEnvironment {
  batchId: number;
  events: EventEmitter;
  breakers: CircuitBreakerRegistry | null;
  perTypeLimits: Map<string, number>;
  abandonAfterMs: number;
  /** The context handed to each attempt; its `files` are the batch's transaction when staged. */
  makeContext(opId: string, attempt: number, signal: AbortSignal): HandlerContext;
  signal?: AbortSignal;
  /** Keep each failed operation's thrown value (not only its summary) for `errorOf`. */
  keepErrors?: boolean;
}

/** A staged change set the run can commit or discard: a FileTransaction. */
export interface StagedChanges extends FileStore {
  diff(): string | Promise<string>;
  commit(): Promise<unknown>;
  rollback(): void | Promise<void>;
}

const WAITING = 0;
const QUEUED = 1;
const RUNNING = 2;
const DONE = 3;

interface Attempt {
  op: PlannedOperation;
  number: number;
  controller?: AbortController;
  timer?: NodeJS.Timeout;
  abandonTimer?: NodeJS.Timeout;
  settled: boolean;
}

/**
 * One execution of a parsed batch: a ready queue fed by finished dependencies, at most
 * `concurrency` operations in flight (and per-type limits), retries, timeouts and cancellation.
 * Handlers that return synchronously complete inside the scheduling loop without a microtask hop,
 * which is what keeps the per-operation overhead low.
 */
export class BatchRun {
  readonly #env: RunEnvironment;
  readonly #batch: ParsedBatch;
  readonly #ops: PlannedOperation[];
  readonly #results: OperationResult[];
  readonly #state: Uint8Array;
  readonly #pendingDeps: Int32Array;
  readonly #firstStart: Float64Array;
  readonly #attempts: Uint16Array;
  readonly #queue: ReadyQueue;
  readonly #blocked = new Map<string, number[]>();
  readonly #typeInFlight = new Map<string, number>();
  readonly #controller = new AbortController();
  readonly #live = new Set<Attempt>();
  readonly #errors: Map<number, unknown> | null;
  readonly #staged: StagedChanges | null;
  #t0 = 0;
  #inFlight = 0;
  #peakInFlight = 0;
  #remaining: number;
  #pumping = false;
  #pumpAgain = false;
  #stopping = false;
  #finished = false;
  #batchTimer?: NodeJS.Timeout;
  #unlinkSignal?: () => void;
  #resolve!: (result: BatchResult) => void;
  #reject!: (error: unknown) => void;

  constructor(env: RunEnvironment, batch: ParsedBatch, staged: StagedChanges | null) {
    this.#env = env;
    this.#batch = batch;
    this.#ops = batch.operations;
    const n = this.#ops.length;
    this.#results = new Array(n);
    this.#state = new Uint8Array(n);
    this.#pendingDeps = new Int32Array(n);
    this.#firstStart = new Float64Array(n);
    this.#attempts = new Uint16Array(n);
    this.#remaining = n;
    this.#staged = staged;
    this.#errors = env.keepErrors ? new Map() : null;
    if (batch.uniformPriority) {
      this.#queue = new FifoQueue();
    } else {
      const priorities = new Float64Array(n);
      for (let i = 0; i < n; i++) priorities[i] = this.#ops[i].priority;
      this.#queue = new PriorityQueue(priorities);
    }
  }

  execute(): Promise<BatchResult> {
    // Handlers may listen on the batch signal, one listener per operation in flight.
    setMaxListeners(0, this.#controller.signal);
    return new Promise<BatchResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#t0 = performance.now();
      const batch = this.#batch;
      this.#emit({ batchId: this.#env.batchId, type: 'batch:start', label: batch.label, operations: this.#ops.length, concurrency: batch.concurrency, atomic: batch.atomic, dryRun: batch.dryRun });
      this.#linkSignal();
      if (batch.timeoutMs !== undefined) {
        this.#batchTimer = setTimeout(() => this.#stop(new TimeoutError(batch.timeoutMs as number, 'batch')), batch.timeoutMs);
      }
      for (const op of this.#ops) {
        this.#pendingDeps[op.index] = op.deps.length;
        if (op.deps.length === 0) {
          this.#state[op.index] = QUEUED;
          this.#queue.push(op.index);
        }
      }
      this.#pump();
    });
  }

  #linkSignal(): void {
    const signal = this.#env.signal;
    if (!signal) return;
    // A plain abort() (an AbortError) means "cancel"; a TimeoutError or CancelledError says more.
    const onAbort = () => {
      const reason: unknown = signal.reason;
      this.#stop(reason instanceof TimeoutError || reason instanceof CancelledError ? reason : new CancelledError(reason instanceof Error && reason.name !== 'AbortError' ? reason.message : 'batch cancelled'));
    };
    if (signal.aborted) {
      queueMicrotask(onAbort);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    this.#unlinkSignal = () => signal.removeEventListener('abort', onAbort);
  }

  #emit(event: BatchEvent): void {
    const events = this.#env.events;
    if (events.listenerCount(event.type) > 0) events.emit(event.type, event);
  }

  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    const limit = this.#batch.concurrency;
    const typeLimits = this.#env.perTypeLimits;
    do {
      this.#pumpAgain = false;
      while (this.#inFlight < limit && !this.#stopping) {
        const index = this.#queue.shift();
        if (index === undefined) break;
        const op = this.#ops[index];
        if (typeLimits.size > 0) {
          const typeLimit = typeLimits.get(op.type);
          if (typeLimit !== undefined && (this.#typeInFlight.get(op.type) ?? 0) >= typeLimit) {
            const blocked = this.#blocked.get(op.type);
            if (blocked) blocked.push(index);
            else this.#blocked.set(op.type, [index]);
            continue;
          }
        }
        this.#start(op);
      }
    } while (this.#pumpAgain);
    this.#pumping = false;
    if (this.#remaining === 0) this.#finish();
  }

  #start(op: PlannedOperation): void {
    this.#state[op.index] = RUNNING;
    this.#inFlight++;
    if (this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
    if (this.#env.perTypeLimits.size > 0 && this.#env.perTypeLimits.has(op.type)) this.#typeInFlight.set(op.type, (this.#typeInFlight.get(op.type) ?? 0) + 1);
    this.#firstStart[op.index] = performance.now();
    if (this.#batch.dryRun && !op.handler.mutatesFiles && !op.handler.readOnly) {
      this.#settle(op, 'skipped', undefined, { code: 'DRY_RUN', message: `dry run: ${op.handler.describe ? op.handler.describe(op.params as never) : `${op.type} not executed`}` }, true);
      return;
    }
    this.#attempt(op, 1);
  }

  #attempt(op: PlannedOperation, number: number): void {
    this.#attempts[op.index] = number;
    this.#emit({ batchId: this.#env.batchId, type: 'op:start', id: op.id, opType: op.type, attempt: number });
    const breakerKey = this.#env.breakers && op.handler.target ? op.handler.target(op.params as never) : undefined;
    if (breakerKey !== undefined) {
      try {
        this.#env.breakers!.get(breakerKey).acquire();
      } catch (error) {
        this.#settle(op, 'failed', undefined, toErrorInfo(error), false);
        return;
      }
    }
    const env = this.#env;
    if (op.timeoutMs === undefined) {
      // Fast path: no timer, no per-attempt controller; a synchronous result needs no bookkeeping.
      const signal = this.#controller.signal;
      let outcome: unknown;
      try {
        outcome = op.handler.run(op.params as never, env.makeContext(op.id, number, signal));
      } catch (error) {
        this.#onError({ op, number, settled: false }, breakerKey, error);
        return;
      }
      if (outcome !== null && typeof outcome === 'object' && typeof (outcome as PromiseLike<unknown>).then === 'function') {
        this.#await({ op, number, settled: false }, breakerKey, outcome as Promise<unknown>);
      } else {
        if (breakerKey !== undefined) env.breakers!.get(breakerKey).success();
        this.#settle(op, 'succeeded', outcome, undefined, true);
      }
      return;
    }
    const attempt: Attempt = { op, number, settled: false };
    const controller = new AbortController();
    attempt.controller = controller;
    attempt.timer = setTimeout(() => {
      controller.abort(new TimeoutError(op.timeoutMs as number));
      this.#startAbandonTimer(attempt, breakerKey);
    }, op.timeoutMs);
    let outcome: unknown;
    try {
      outcome = op.handler.run(op.params as never, env.makeContext(op.id, number, controller.signal));
    } catch (error) {
      this.#onError(attempt, breakerKey, error);
      return;
    }
    if (outcome !== null && typeof outcome === 'object' && typeof (outcome as PromiseLike<unknown>).then === 'function') {
      this.#await(attempt, breakerKey, outcome as Promise<unknown>);
    } else {
      this.#onSuccess(attempt, breakerKey, outcome);
    }
  }

  /**
   * Attempts still running are tracked in a set rather than by listening on the batch signal:
   * one `addEventListener` per operation costs more than the rest of its scheduling.
   */
  #await(attempt: Attempt, breakerKey: string | undefined, outcome: Promise<unknown>): void {
    this.#live.add(attempt);
    outcome.then(
      (value) => this.#onSuccess(attempt, breakerKey, value),
      (error) => this.#onError(attempt, breakerKey, error),
    );
    if (this.#controller.signal.aborted) this.#startAbandonTimer(attempt, breakerKey);
  }

  /** A handler that ignores its signal must not hold the batch hostage. */
  #startAbandonTimer(attempt: Attempt, breakerKey: string | undefined): void {
    if (attempt.settled || attempt.abandonTimer) return;
    const signal = attempt.controller?.signal ?? this.#controller.signal;
    attempt.abandonTimer = setTimeout(() => this.#onError(attempt, breakerKey, signal.reason), this.#env.abandonAfterMs);
  }

  #cleanup(attempt: Attempt): boolean {
    if (attempt.settled) return false;
    attempt.settled = true;
    if (attempt.timer) clearTimeout(attempt.timer);
    if (attempt.abandonTimer) clearTimeout(attempt.abandonTimer);
    this.#live.delete(attempt);
    return true;
  }

  #onSuccess(attempt: Attempt, breakerKey: string | undefined, value: unknown): void {
    if (!this.#cleanup(attempt)) return;
    if (breakerKey !== undefined) this.#env.breakers!.get(breakerKey).success();
    this.#settle(attempt.op, 'succeeded', value, undefined, true);
  }

  #onError(attempt: Attempt, breakerKey: string | undefined, thrown: unknown): void {
    if (!this.#cleanup(attempt)) return;
    const op = attempt.op;
    // When the signal fired, its reason says why (timeout, failFast, cancellation) better than
    // whatever the handler rejected with.
    const signal = attempt.controller?.signal ?? this.#controller.signal;
    const error = signal.aborted ? signal.reason : thrown;
    const cancelled = error instanceof CancelledError;
    if (breakerKey !== undefined && !cancelled && countsAgainstTarget(error)) this.#env.breakers!.get(breakerKey).failure();
    const policy = op.retry;
    if (policy && attempt.number < policy.attempts && !this.#stopping && !cancelled && isRetryable(error)) {
      const delayMs = backoffDelay(policy, attempt.number);
      this.#emit({ batchId: this.#env.batchId, type: 'op:retry', id: op.id, opType: op.type, attempt: attempt.number, delayMs, error: toErrorInfo(error) });
      abortableDelay(delayMs, this.#controller.signal).then(
        () => this.#attempt(op, attempt.number + 1),
        (reason) => this.#settle(op, statusOf(reason), undefined, toErrorInfo(reason), false),
      );
      return;
    }
    this.#errors?.set(op.index, error);
    this.#settle(op, statusOf(error), undefined, toErrorInfo(error), false);
  }

  /** The value a failed operation threw, when the run keeps errors. */
  errorOf(index: number): unknown {
    return this.#errors?.get(index);
  }

  /** Records a final result and releases (or skips) what waited on it. */
  #settle(op: PlannedOperation, status: OperationStatus, output: unknown, error: ErrorInfo | undefined, satisfiesDependents: boolean): void {
    const now = performance.now();
    this.#inFlight--;
    if (this.#env.perTypeLimits.size > 0 && this.#env.perTypeLimits.has(op.type)) {
      this.#typeInFlight.set(op.type, (this.#typeInFlight.get(op.type) ?? 1) - 1);
      const next = this.#blocked.get(op.type)?.shift();
      if (next !== undefined) this.#queue.push(next);
    }
    const result: OperationResult = {
      id: op.id,
      type: op.type,
      status,
      attempts: this.#attempts[op.index],
      startMs: round(this.#firstStart[op.index] - this.#t0),
      durationMs: round(now - this.#firstStart[op.index]),
    };
    if (output !== undefined) result.output = output;
    if (error !== undefined) result.error = error;
    this.#record(op, result);
    if (satisfiesDependents) {
      for (const next of op.dependents) {
        if (--this.#pendingDeps[next] === 0 && this.#state[next] === WAITING) {
          this.#state[next] = QUEUED;
          this.#queue.push(next);
        }
      }
    } else {
      this.#skipDependents(op, status);
      if (this.#batch.failFast && !this.#stopping && status !== 'cancelled') {
        this.#stop(new CancelledError(`failFast: operation "${op.id}" ${status}`));
      }
    }
    this.#pump();
  }

  #record(op: PlannedOperation, result: OperationResult): void {
    this.#state[op.index] = DONE;
    this.#results[op.index] = result;
    this.#remaining--;
    this.#emit({ batchId: this.#env.batchId, type: 'op:end', result });
  }

  #skipDependents(root: PlannedOperation, status: OperationStatus): void {
    const stack: Array<{ index: number; because: PlannedOperation }> = root.dependents.map((index) => ({ index, because: root }));
    while (stack.length > 0) {
      const { index, because } = stack.pop()!;
      if (this.#state[index] === DONE || this.#state[index] === RUNNING) continue;
      const op = this.#ops[index];
      const reason = because === root ? `dependency "${root.id}" ${status}` : `dependency "${because.id}" was skipped (root cause: "${root.id}" ${status})`;
      this.#record(op, { id: op.id, type: op.type, status: 'skipped', attempts: 0, startMs: 0, durationMs: 0, error: { code: 'DEPENDENCY_FAILED', message: reason } });
      for (const next of op.dependents) stack.push({ index: next, because: op });
    }
  }

  /** failFast, a batch timeout or the caller's signal: abort what runs, cancel what has not started. */
  #stop(reason: Error): void {
    if (this.#stopping || this.#finished) return;
    this.#stopping = true;
    this.#controller.abort(reason);
    for (const attempt of [...this.#live]) {
      attempt.controller?.abort(reason);
      this.#startAbandonTimer(attempt, undefined);
    }
    const info = toErrorInfo(reason);
    const notStarted: ErrorInfo = { code: info.code, message: `not started: ${info.message}` };
    for (const op of this.#ops) {
      const state = this.#state[op.index];
      if (state === WAITING || state === QUEUED) {
        this.#record(op, { id: op.id, type: op.type, status: 'cancelled', attempts: 0, startMs: 0, durationMs: 0, error: notStarted });
      }
    }
    this.#blocked.clear();
    if (!this.#pumping && this.#remaining === 0) this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    this.#unlinkSignal?.();
    this.#complete().then((result) => {
      this.#emit({ batchId: this.#env.batchId, type: 'batch:end', result });
      this.#resolve(result);
    }, this.#reject);
  }

  async #complete(): Promise<BatchResult> {
    const batch = this.#batch;
    const results = this.#results;
    const counts: Record<OperationStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0, 'timed-out': 0 };
    let sumOpMs = 0;
    for (let i = 0; i < results.length; i++) {
      counts[results[i].status]++;
      sumOpMs += results[i].durationMs;
    }
    const allGood = counts.succeeded + (batch.dryRun ? countDryRunSkips(results) : 0) === results.length;
    const result: BatchResult = { label: batch.label, status: 'succeeded', dryRun: batch.dryRun, atomic: batch.atomic, results, metrics: undefined as unknown as BatchMetrics };
    if (this.#staged) {
      if (batch.dryRun) {
        result.diff = await this.#staged.diff();
        await this.#staged.rollback();
      } else if (allGood) {
        try {
          await this.#staged.commit();
          result.committed = true;
        } catch (error) {
          result.committed = false;
          result.commitError = toErrorInfo(error);
        }
      } else {
        await this.#staged.rollback();
        result.committed = false;
      }
    }
    const wallMs = performance.now() - this.#t0;
    result.status = batchStatus(allGood, counts.succeeded, result);
    const memory = process.memoryUsage();
    result.metrics = {
      label: batch.label,
      operations: results.length,
      wallMs: round(wallMs),
      sumOpMs: round(sumOpMs),
      speedup: wallMs > 0 ? round(sumOpMs / wallMs) : 0,
      peakInFlight: this.#peakInFlight,
      concurrency: batch.concurrency,
      successRate: results.length > 0 ? round(counts.succeeded / results.length) : 1,
      counts,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
    return result;
  }
}

function batchStatus(allGood: boolean, succeeded: number, result: BatchResult): BatchResult['status'] {
  if (result.commitError) return 'failed';
  if (allGood) return 'succeeded';
  // An atomic batch that rolled back wrote nothing: partial would suggest otherwise.
  if (result.atomic && result.committed === false) return 'failed';
  return succeeded > 0 ? 'partial' : 'failed';
}

function countDryRunSkips(results: OperationResult[]): number {
  let n = 0;
  for (const r of results) if (r.status === 'skipped' && r.error?.code === 'DRY_RUN') n++;
  return n;
}

function statusOf(error: unknown): OperationStatus {
  if (error instanceof TimeoutError) return 'timed-out';
  if (error instanceof CancelledError) return 'cancelled';
  return 'failed';
}

/** Bad input says nothing about the health of the target the breaker protects. */
function countsAgainstTarget(error: unknown): boolean {
  return !(error instanceof ValidationError || error instanceof PathOutsideWorkspaceError);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
