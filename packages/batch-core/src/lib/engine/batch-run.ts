import { EventEmitter, setMaxListeners } from 'node:events';
import { CancelledError, isRetryable, PathOutsideWorkspaceError, TimeoutError, toErrorInfo, ValidationError, type ErrorInfo } from '../errors';
import type { BatchMetrics, BatchResult, HandlerContext, OperationResult, OperationStatus } from '../operations/types';
import { abortableDelay, backoffDelay } from '../resilience/backoff';
import type { CircuitBreakerRegistry } from '../resilience/circuit-breaker';
import type { BatchEvent } from './events';
import type { ParsedBatch, PlannedOperation } from './parse-batch';
import { FifoQueue, PriorityQueue, type ReadyQueue } from './ready-queue';
import { anchorShapes } from './shape-anchors';
import { batchStatus, measureRun, round, settleStagedChanges, tallyResults, type StagedChanges } from './run-outcome';

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

export type { StagedChanges } from './run-outcome';

const WAITING = 0;
const QUEUED = 1;
const RUNNING = 2;
/** Between a failed attempt and its retry: a late answer from the old attempt is ignored. */
const BACKING_OFF = 3;
const DONE = 4;

/** Only attempts with their own timeout get a controller and timers. */
interface TimedAttempt {
  controller: AbortController;
  timer: NodeJS.Timeout;
  abandonTimer?: NodeJS.Timeout;
}

/**
 * One execution of a parsed batch: a ready queue fed by finished dependencies, at most
 * `concurrency` operations in flight (and per-type limits), retries, timeouts and cancellation.
 *
 * The per-operation path is kept allocation-light on purpose: operation state lives in typed
 * arrays, an attempt is identified by (operation, attempt number) instead of an object, handlers
 * that return synchronously complete inside the scheduling loop without a microtask hop, and only
 * operations with a timeout get an AbortController of their own.
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
  readonly #controller = new AbortController();
  readonly #timed = new Map<number, TimedAttempt>();
  readonly #errors: Map<number, unknown> | null;
  readonly #staged: StagedChanges | null;
  /** Per-type caps for the types this batch uses; null when none applies (the common case). */
  readonly #typeLimits: Map<string, number> | null;
  readonly #typeInFlight = new Map<string, number>();
  readonly #blocked = new Map<string, number[]>();
  /** Whether anybody listens to per-operation events (checked once per run). */
  #watched = false;
  // Both clock fields start as NaN, a double like every later reading: a field that starts as a
  // small integer changes its hidden class at the first reading (see shape-anchors.ts).
  #t0 = NaN;
  /** A clock reading taken in the current synchronous scheduling step, or NaN. */
  #stepClock = NaN;
  #inFlight = 0;
  #peakInFlight = 0;
  #remaining: number;
  #pumping = false;
  #pumpAgain = false;
  #stopping = false;
  #finished = false;
  #batchTimer?: NodeJS.Timeout;
  #abandonTimer?: NodeJS.Timeout;
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
    this.#typeLimits = limitsFor(batch, env.perTypeLimits);
    // Operations without dependencies are ready at once, in submission order.
    const ready = new Int32Array(n);
    let readyCount = 0;
    for (let i = 0; i < n; i++) {
      const waitsFor = this.#ops[i].deps.length;
      this.#pendingDeps[i] = waitsFor;
      if (waitsFor === 0) {
        this.#state[i] = QUEUED;
        ready[readyCount++] = i;
      }
    }
    if (batch.uniformPriority) {
      this.#queue = new FifoQueue(ready.subarray(0, readyCount));
    } else {
      const priorities = new Float64Array(n);
      for (let i = 0; i < n; i++) priorities[i] = this.#ops[i].priority;
      this.#queue = new PriorityQueue(priorities);
      for (let i = 0; i < readyCount; i++) this.#queue.push(ready[i]);
    }
  }

  execute(): Promise<BatchResult> {
    // Handlers may listen on the batch signal, one listener per operation in flight.
    setMaxListeners(0, this.#controller.signal);
    return new Promise<BatchResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const events = this.#env.events;
      this.#watched = events.listenerCount('op:start') + events.listenerCount('op:end') + events.listenerCount('op:retry') > 0;
      this.#t0 = performance.now();
      const batch = this.#batch;
      this.#emit({ batchId: this.#env.batchId, type: 'batch:start', label: batch.label, operations: this.#ops.length, concurrency: batch.concurrency, atomic: batch.atomic, dryRun: batch.dryRun });
      this.#linkSignal();
      if (batch.timeoutMs !== undefined) {
        this.#batchTimer = setTimeout(() => this.#stop(new TimeoutError(batch.timeoutMs as number, 'batch')), batch.timeoutMs);
      }
      this.#pump();
    });
  }

  /** The value a failed operation threw, when the run keeps errors. */
  errorOf(index: number): unknown {
    return this.#errors?.get(index);
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

  #clock(): number {
    const reading = this.#stepClock;
    if (!Number.isNaN(reading)) return reading;
    return performance.now();
  }

  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    const limit = this.#batch.concurrency;
    const ops = this.#ops;
    const queue = this.#queue;
    do {
      this.#pumpAgain = false;
      while (this.#inFlight < limit && !this.#stopping) {
        const index = queue.shift();
        if (index === undefined) break;
        const op = ops[index];
        if (this.#typeLimits !== null && !this.#admitType(op)) continue;
        this.#start(op);
      }
    } while (this.#pumpAgain);
    this.#pumping = false;
    this.#stepClock = NaN;
    if (this.#remaining === 0) this.#finish();
  }

  /** Holds an operation back while its type is at its cap. */
  #admitType(op: PlannedOperation): boolean {
    const typeLimit = (this.#typeLimits as Map<string, number>).get(op.type);
    if (typeLimit === undefined) return true;
    const running = this.#typeInFlight.get(op.type) ?? 0;
    if (running >= typeLimit) {
      const blocked = this.#blocked.get(op.type);
      if (blocked) blocked.push(op.index);
      else this.#blocked.set(op.type, [op.index]);
      return false;
    }
    this.#typeInFlight.set(op.type, running + 1);
    return true;
  }

  #releaseType(op: PlannedOperation): void {
    const typeLimit = (this.#typeLimits as Map<string, number>).get(op.type);
    if (typeLimit === undefined) return;
    this.#typeInFlight.set(op.type, (this.#typeInFlight.get(op.type) ?? 1) - 1);
    const next = this.#blocked.get(op.type)?.shift();
    if (next !== undefined) this.#queue.push(next);
  }

  #start(op: PlannedOperation): void {
    this.#state[op.index] = RUNNING;
    if (++this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
    this.#firstStart[op.index] = this.#clock();
    if (this.#batch.dryRun && !op.handler.mutatesFiles && !op.handler.readOnly) {
      const what = op.handler.describe ? op.handler.describe(op.params as never) : `${op.type} not executed`;
      this.#settle(op, 'skipped', undefined, { code: 'DRY_RUN', message: `dry run: ${what}` }, true);
      return;
    }
    this.#attempt(op, 1);
  }

  #attempt(op: PlannedOperation, number: number): void {
    const index = op.index;
    this.#attempts[index] = number;
    this.#state[index] = RUNNING;
    if (this.#watched) this.#emit({ batchId: this.#env.batchId, type: 'op:start', id: op.id, opType: op.type, attempt: number });
    let breakerKey: string | undefined;
    if (this.#env.breakers !== null && op.handler.target !== undefined) {
      breakerKey = op.handler.target(op.params as never);
      if (breakerKey !== undefined) {
        try {
          this.#env.breakers.get(breakerKey).acquire();
        } catch (error) {
          this.#settle(op, 'failed', undefined, toErrorInfo(error), false);
          return;
        }
      }
    }
    let signal = this.#controller.signal;
    if (op.timeoutMs !== undefined) signal = this.#arm(op, number);
    let outcome: unknown;
    try {
      outcome = op.handler.run(op.params as never, this.#env.makeContext(op.id, number, signal));
    } catch (error) {
      this.#onError(op, number, breakerKey, error);
      return;
    }
    if (outcome !== null && typeof outcome === 'object' && typeof (outcome as PromiseLike<unknown>).then === 'function') {
      (outcome as Promise<unknown>).then(
        (value) => this.#onSuccess(op, number, breakerKey, value),
        (error) => this.#onError(op, number, breakerKey, error),
      );
    } else {
      this.#onSuccess(op, number, breakerKey, outcome);
    }
  }

  /** A controller and a timer for an attempt with its own timeout. */
  #arm(op: PlannedOperation, number: number): AbortSignal {
    const controller = new AbortController();
    const timeoutMs = op.timeoutMs as number;
    const timed: TimedAttempt = {
      controller,
      timer: setTimeout(() => {
        controller.abort(new TimeoutError(timeoutMs));
        // A handler that ignores its signal must not hold the batch hostage.
        timed.abandonTimer = setTimeout(() => this.#onError(op, number, undefined, controller.signal.reason), this.#env.abandonAfterMs);
      }, timeoutMs),
    };
    this.#timed.set(op.index, timed);
    return controller.signal;
  }

  /** True while (operation, attempt) is the one running: later answers of abandoned attempts are ignored. */
  #isCurrent(op: PlannedOperation, number: number): boolean {
    return this.#state[op.index] === RUNNING && this.#attempts[op.index] === number;
  }

  #disarm(index: number): AbortSignal | undefined {
    const timed = this.#timed.get(index);
    if (timed === undefined) return undefined;
    clearTimeout(timed.timer);
    if (timed.abandonTimer) clearTimeout(timed.abandonTimer);
    this.#timed.delete(index);
    return timed.controller.signal;
  }

  #onSuccess(op: PlannedOperation, number: number, breakerKey: string | undefined, value: unknown): void {
    if (!this.#isCurrent(op, number)) return;
    if (op.timeoutMs !== undefined) this.#disarm(op.index);
    if (breakerKey !== undefined) this.#env.breakers?.get(breakerKey).success();
    this.#settle(op, 'succeeded', value, undefined, true);
  }

  #onError(op: PlannedOperation, number: number, breakerKey: string | undefined, thrown: unknown): void {
    if (!this.#isCurrent(op, number)) return;
    // When a signal fired, its reason says why (timeout, failFast, cancellation) better than
    // whatever the handler rejected with.
    const signal = (op.timeoutMs !== undefined ? this.#disarm(op.index) : undefined) ?? this.#controller.signal;
    const error = signal.aborted ? signal.reason : thrown;
    const cancelled = error instanceof CancelledError;
    if (breakerKey !== undefined && !cancelled && countsAgainstTarget(error)) this.#env.breakers?.get(breakerKey).failure();
    const policy = op.retry;
    if (policy !== undefined && number < policy.attempts && !this.#stopping && !cancelled && isRetryable(error)) {
      const delayMs = backoffDelay(policy, number);
      this.#state[op.index] = BACKING_OFF;
      this.#emit({ batchId: this.#env.batchId, type: 'op:retry', id: op.id, opType: op.type, attempt: number, delayMs, error: toErrorInfo(error) });
      abortableDelay(delayMs, this.#controller.signal).then(
        () => this.#attempt(op, number + 1),
        (reason) => {
          this.#state[op.index] = RUNNING;
          this.#errors?.set(op.index, reason);
          this.#settle(op, statusOf(reason), undefined, toErrorInfo(reason), false);
        },
      );
      return;
    }
    this.#errors?.set(op.index, error);
    this.#settle(op, statusOf(error), undefined, toErrorInfo(error), false);
  }

  /** Records a final result and releases (or skips) what waited on it. */
  #settle(op: PlannedOperation, status: OperationStatus, output: unknown, error: ErrorInfo | undefined, satisfiesDependents: boolean): void {
    const now = performance.now();
    // Operations started in the same synchronous step right after this one take this reading as
    // their start: the clock is read once per step, not twice per operation.
    this.#stepClock = now;
    this.#inFlight--;
    if (this.#typeLimits !== null) this.#releaseType(op);
    const started = this.#firstStart[op.index];
    // One object shape for every result keeps the hot path monomorphic.
    this.#record(op, { id: op.id, type: op.type, status, output, error, attempts: this.#attempts[op.index], startMs: round(started - this.#t0), durationMs: round(now - started) });
    const dependents = op.dependents;
    if (satisfiesDependents) {
      for (let i = 0; i < dependents.length; i++) {
        const next = dependents[i];
        if (--this.#pendingDeps[next] === 0 && this.#state[next] === WAITING) {
          this.#state[next] = QUEUED;
          this.#queue.push(next);
        }
      }
    } else {
      if (dependents.length > 0) this.#skipDependents(op, status);
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
    if (this.#watched) this.#emit({ batchId: this.#env.batchId, type: 'op:end', result });
  }

  #skipDependents(root: PlannedOperation, status: OperationStatus): void {
    const stack: Array<{ index: number; because: PlannedOperation }> = root.dependents.map((index) => ({ index, because: root }));
    while (stack.length > 0) {
      const { index, because } = stack.pop()!;
      if (this.#state[index] !== WAITING) continue;
      const op = this.#ops[index];
      const reason = because === root ? `dependency "${root.id}" ${status}` : `dependency "${because.id}" was skipped (root cause: "${root.id}" ${status})`;
      this.#record(op, { id: op.id, type: op.type, status: 'skipped', output: undefined, error: { code: 'DEPENDENCY_FAILED', message: reason }, attempts: 0, startMs: 0, durationMs: 0 });
      for (const next of op.dependents) stack.push({ index: next, because: op });
    }
  }

  /** failFast, a batch timeout or the caller's signal: abort what runs, cancel what has not started. */
  #stop(reason: Error): void {
    if (this.#stopping || this.#finished) return;
    this.#stopping = true;
    this.#controller.abort(reason);
    for (const timed of this.#timed.values()) timed.controller.abort(reason);
    const info = toErrorInfo(reason);
    const notStarted: ErrorInfo = { code: info.code, message: `not started: ${info.message}` };
    for (const op of this.#ops) {
      const state = this.#state[op.index];
      if (state === WAITING || state === QUEUED) {
        this.#record(op, { id: op.id, type: op.type, status: 'cancelled', output: undefined, error: notStarted, attempts: 0, startMs: 0, durationMs: 0 });
      }
    }
    this.#blocked.clear();
    // Handlers that ignore the abort are given up on after a grace period.
    this.#abandonTimer = setTimeout(() => {
      for (const op of this.#ops) if (this.#state[op.index] === RUNNING) this.#onError(op, this.#attempts[op.index], undefined, reason);
    }, this.#env.abandonAfterMs);
    if (!this.#pumping && this.#remaining === 0) this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    if (this.#abandonTimer) clearTimeout(this.#abandonTimer);
    this.#unlinkSignal?.();
    this.#complete().then((result) => {
      this.#emit({ batchId: this.#env.batchId, type: 'batch:end', result });
      this.#resolve(result);
    }, this.#reject);
  }

  async #complete(): Promise<BatchResult> {
    const batch = this.#batch;
    const tally = tallyResults(this.#results, batch.dryRun);
    const result: BatchResult = { label: batch.label, status: 'succeeded', dryRun: batch.dryRun, atomic: batch.atomic, results: this.#results, metrics: undefined as unknown as BatchMetrics };
    if (this.#staged) await settleStagedChanges(this.#staged, result, tally.allGood);
    result.status = batchStatus(tally.allGood, tally.counts.succeeded, result);
    result.metrics = measureRun(batch, tally, performance.now() - this.#t0, this.#peakInFlight);
    return result;
  }
}

/** The caps that can matter for this batch: only those of types it uses. */
function limitsFor(batch: ParsedBatch, limits: Map<string, number>): Map<string, number> | null {
  if (limits.size === 0) return null;
  let relevant: Map<string, number> | null = null;
  for (const type of batch.types) {
    const limit = limits.get(type);
    if (limit !== undefined && limit < batch.concurrency) (relevant ??= new Map()).set(type, limit);
  }
  return relevant;
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

const anchoredController = new AbortController();
setMaxListeners(0, anchoredController.signal);
anchorShapes(
  anchoredController,
  new BatchRun(
    { batchId: 0, events: new EventEmitter(), breakers: null, perTypeLimits: new Map(), abandonAfterMs: 0, makeContext: () => ({}) as HandlerContext },
    { operations: [], concurrency: 1, failFast: false, atomic: false, dryRun: false, uniformPriority: true, types: [] },
    null,
  ),
);
