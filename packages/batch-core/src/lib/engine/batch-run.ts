import { EventEmitter, setMaxListeners } from 'node:events';
import { CancelledError, isRetryable, PathOutsideWorkspaceError, TimeoutError, toErrorInfo, ValidationError, type ErrorInfo } from '../errors';
import type { BatchResult, HandlerContext, OperationHandler, OperationStatus } from '../operations/types';
import { abortableDelay, backoffDelay } from '../resilience/backoff';
import type { CircuitBreakerRegistry } from '../resilience/circuit-breaker';
import type { BatchEvent } from './events';
import { planned, type ParsedBatch } from './parse-batch';
import { OperationPlan, type EdgeRows } from './plan';
import { FifoQueue, PriorityQueue, type ReadyQueue } from './ready-queue';
import { anchorShapes } from './shape-anchors';
import { resultWithLazyResults, ResultColumns } from './result-columns';
import { TypeLimits } from './type-limits';
import { AttemptTimers } from './attempt-timers';
import { batchStatus, measureRun, settleStagedChanges, type StagedChanges } from './run-outcome';

/**
 * Makes handler contexts. An object with a method rather than a closure per run: optimized code
 * that inlined a closure is thrown away once that closure is collected, i.e. after every batch.
 */
export interface ContextFactory {
  make(index: number, attempt: number, signal: AbortSignal): HandlerContext;
}

/** What a run needs from its engine. */
export interface RunEnvironment {
  batchId: number;
  events: EventEmitter;
  breakers: CircuitBreakerRegistry | null;
  perTypeLimits: Map<string, number>;
  abandonAfterMs: number;
  /** Makes the context handed to each attempt; its `files` are the batch's transaction when staged. */
  contexts: ContextFactory;
  signal?: AbortSignal;
  /** Keep each failed operation's thrown value (not only its summary) for `errorOf`. */
  keepErrors?: boolean;
}

export type { StagedChanges } from './run-outcome';

/** Pending-dependency counts of a batch without dependencies. */
const NO_PENDING = new Int32Array(0);

const WAITING = 0;
const QUEUED = 1;
const RUNNING = 2;
/** Between a failed attempt and its retry: a late answer from the old attempt is ignored. */
const BACKING_OFF = 3;
const DONE = 4;

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
  readonly #plan: OperationPlan;
  readonly #handlers: OperationHandler[];
  readonly #columns: ResultColumns;
  readonly #state: Uint8Array;
  readonly #pendingDeps: Int32Array;
  readonly #attempts: Uint16Array;
  readonly #queue: ReadyQueue;
  readonly #controller = new AbortController();
  /** The controller's signal, read once: its getter validates its receiver on every call. */
  readonly #signal = this.#controller.signal;
  readonly #timers = new AttemptTimers();
  readonly #errors: Map<number, unknown> | null;
  readonly #staged: StagedChanges | null;
  /** Per-type caps for the types this batch uses; null when none applies (the common case). */
  readonly #typeLimits: TypeLimits | null;
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
    // Copied into one literal made here, whose hidden class the anchored run below keeps alive:
    // the callers' own literals have hidden classes that die with their batch (see shape-anchors.ts).
    this.#env = {
      batchId: env.batchId,
      events: env.events,
      breakers: env.breakers,
      perTypeLimits: env.perTypeLimits,
      abandonAfterMs: env.abandonAfterMs,
      contexts: env.contexts,
      signal: env.signal,
      keepErrors: env.keepErrors ?? false,
    };
    this.#batch = batch;
    const plan = batch.plan;
    this.#plan = plan;
    this.#handlers = plan.handlers;
    const n = plan.size;
    this.#columns = new ResultColumns(plan);
    this.#state = new Uint8Array(n);
    this.#pendingDeps = plan.deps === null ? NO_PENDING : new Int32Array(n);
    this.#attempts = this.#columns.attempts;
    this.#remaining = n;
    this.#staged = staged;
    this.#errors = env.keepErrors ? new Map() : null;
    this.#typeLimits = TypeLimits.forBatch(batch.types, batch.concurrency, env.perTypeLimits);
    // Operations without dependencies are ready at once, in submission order: all of them (a
    // count, not a list) when the batch has no dependencies.
    let ready: Int32Array | number = n;
    if (plan.deps === null) {
      this.#state.fill(QUEUED);
    } else {
      const offsets = plan.deps.offsets;
      const list = new Int32Array(n);
      let readyCount = 0;
      for (let i = 0; i < n; i++) {
        const waitsFor = offsets[i + 1] - offsets[i];
        this.#pendingDeps[i] = waitsFor;
        if (waitsFor === 0) {
          this.#state[i] = QUEUED;
          list[readyCount++] = i;
        }
      }
      ready = list.subarray(0, readyCount);
    }
    if (batch.uniformPriority) {
      this.#queue = new FifoQueue(ready);
    } else {
      const queue = new PriorityQueue(plan.priorities ?? new Float64Array(n));
      if (typeof ready === 'number') for (let i = 0; i < ready; i++) queue.push(i);
      else for (const index of ready) queue.push(index);
      this.#queue = queue;
    }
  }

  /** The run's results, column by column (for callers that need no result objects). */
  get columns(): ResultColumns {
    return this.#columns;
  }

  execute(): Promise<BatchResult> {
    // Handlers may listen on the batch signal, one listener per operation in flight.
    setMaxListeners(0, this.#signal);
    return new Promise<BatchResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const events = this.#env.events;
      this.#watched = events.listenerCount('op:start') + events.listenerCount('op:end') + events.listenerCount('op:retry') > 0;
      this.#t0 = performance.now();
      const batch = this.#batch;
      this.#emit({ batchId: this.#env.batchId, type: 'batch:start', label: batch.label, operations: this.#plan.size, concurrency: batch.concurrency, atomic: batch.atomic, dryRun: batch.dryRun });
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
    const queue = this.#queue;
    do {
      this.#pumpAgain = false;
      while (this.#inFlight < limit && !this.#stopping) {
        const index = queue.shift();
        if (index === undefined) break;
        if (this.#typeLimits !== null && !this.#typeLimits.admit(index, this.#handlers[index].type)) continue;
        this.#start(index);
      }
    } while (this.#pumpAgain);
    this.#pumping = false;
    this.#stepClock = NaN;
    if (this.#remaining === 0) this.#finish();
  }

  #start(index: number): void {
    this.#state[index] = RUNNING;
    if (++this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
    this.#columns.startMs[index] = this.#clock() - this.#t0;
    const handler = this.#handlers[index];
    if (this.#batch.dryRun && !handler.mutatesFiles && !handler.readOnly) {
      const what = handler.describe ? handler.describe(this.#plan.params[index] as never) : `${handler.type} not executed`;
      this.#settle(index, 'skipped', undefined, { code: 'DRY_RUN', message: `dry run: ${what}` }, true);
      return;
    }
    this.#attempt(index, 1);
  }

  #attempt(index: number, number: number): void {
    this.#attempts[index] = number;
    this.#state[index] = RUNNING;
    const handler = this.#handlers[index];
    const plan = this.#plan;
    const params = plan.params[index];
    if (this.#watched) this.#emit({ batchId: this.#env.batchId, type: 'op:start', id: plan.idOf(index), opType: handler.type, attempt: number });
    let breakerKey: string | undefined;
    if (this.#env.breakers !== null && handler.target !== undefined) {
      breakerKey = handler.target(params as never);
      if (breakerKey !== undefined) {
        try {
          this.#env.breakers.get(breakerKey).acquire();
        } catch (error) {
          this.#settle(index, 'failed', undefined, toErrorInfo(error), false);
          return;
        }
      }
    }
    let signal = this.#signal;
    if (plan.timeouts !== null && !Number.isNaN(plan.timeouts[index])) signal = this.#timers.arm(index, plan.timeouts[index], this.#env.abandonAfterMs, (reason) => this.#onError(index, number, undefined, reason));
    let outcome: unknown;
    try {
      outcome = handler.run(params as never, this.#env.contexts.make(index, number, signal));
    } catch (error) {
      this.#onError(index, number, breakerKey, error);
      return;
    }
    if (outcome !== null && typeof outcome === 'object' && typeof (outcome as PromiseLike<unknown>).then === 'function') {
      (outcome as Promise<unknown>).then(
        (value) => this.#onSuccess(index, number, breakerKey, value),
        (error) => this.#onError(index, number, breakerKey, error),
      );
    } else {
      this.#onSuccess(index, number, breakerKey, outcome);
    }
  }

  /** True while (operation, attempt) is the one running: later answers of abandoned attempts are ignored. */
  #isCurrent(index: number, number: number): boolean {
    return this.#state[index] === RUNNING && this.#attempts[index] === number;
  }

  #onSuccess(index: number, number: number, breakerKey: string | undefined, value: unknown): void {
    if (!this.#isCurrent(index, number)) return;
    this.#timers.disarm(index);
    if (breakerKey !== undefined) this.#env.breakers?.get(breakerKey).success();
    this.#settle(index, 'succeeded', value, undefined, true);
  }

  #onError(index: number, number: number, breakerKey: string | undefined, thrown: unknown): void {
    if (!this.#isCurrent(index, number)) return;
    // When a signal fired, its reason says why (timeout, failFast, cancellation) better than
    // whatever the handler rejected with.
    const signal = this.#timers.disarm(index) ?? this.#signal;
    const error = signal.aborted ? signal.reason : thrown;
    const cancelled = error instanceof CancelledError;
    if (breakerKey !== undefined && !cancelled && countsAgainstTarget(error)) this.#env.breakers?.get(breakerKey).failure();
    const policy = this.#plan.retryOf(index);
    if (policy !== undefined && number < policy.attempts && !this.#stopping && !cancelled && isRetryable(error)) {
      const delayMs = backoffDelay(policy, number);
      this.#state[index] = BACKING_OFF;
      this.#emit({ batchId: this.#env.batchId, type: 'op:retry', id: this.#plan.idOf(index), opType: this.#handlers[index].type, attempt: number, delayMs, error: toErrorInfo(error) });
      abortableDelay(delayMs, this.#signal).then(
        () => this.#attempt(index, number + 1),
        (reason) => {
          this.#state[index] = RUNNING;
          this.#errors?.set(index, reason);
          this.#settle(index, statusOf(reason), undefined, toErrorInfo(reason), false);
        },
      );
      return;
    }
    this.#errors?.set(index, error);
    this.#settle(index, statusOf(error), undefined, toErrorInfo(error), false);
  }

  /** Records a final result and releases (or skips) what waited on it. */
  #settle(index: number, status: OperationStatus, output: unknown, error: ErrorInfo | undefined, satisfiesDependents: boolean): void {
    const now = performance.now();
    // Operations started in the same synchronous step right after this one take this reading as
    // their start: the clock is read once per step, not twice per operation.
    this.#stepClock = now;
    this.#inFlight--;
    if (this.#typeLimits !== null) {
      const next = this.#typeLimits.release(this.#handlers[index].type);
      if (next !== undefined) this.#queue.push(next);
    }
    const columns = this.#columns;
    columns.recordMeasured(index, status, output, error, now - this.#t0 - columns.startMs[index]);
    this.#recorded(index);
    const dependents = this.#plan.dependents;
    if (satisfiesDependents) {
      if (dependents !== null) this.#release(dependents, index);
    } else {
      if (dependents !== null) this.#skipDependents(index, status);
      if (this.#batch.failFast && !this.#stopping && status !== 'cancelled') {
        this.#stop(new CancelledError(`failFast: operation "${this.#plan.idOf(index)}" ${status}`));
      }
    }
    this.#pump();
  }

  /** Queues the dependents of `index` whose last dependency this was. */
  #release(dependents: EdgeRows, index: number): void {
    const targets = dependents.targets;
    for (let e = dependents.offsets[index]; e < dependents.offsets[index + 1]; e++) {
      const next = targets[e];
      if (--this.#pendingDeps[next] === 0 && this.#state[next] === WAITING) {
        this.#state[next] = QUEUED;
        this.#queue.push(next);
      }
    }
  }

  /** Bookkeeping after a result went into the columns. */
  #recorded(index: number): void {
    this.#state[index] = DONE;
    this.#remaining--;
    if (this.#watched) this.#emit({ batchId: this.#env.batchId, type: 'op:end', result: this.#columns.resultOf(index) });
  }

  #skipDependents(root: number, status: OperationStatus): void {
    const plan = this.#plan;
    const rootId = plan.idOf(root);
    const stack: Array<{ index: number; because: number }> = Array.from(plan.dependentsOf(root), (index) => ({ index, because: root }));
    while (stack.length > 0) {
      const { index, because } = stack.pop()!;
      if (this.#state[index] !== WAITING) continue;
      const reason = because === root ? `dependency "${rootId}" ${status}` : `dependency "${plan.idOf(because)}" was skipped (root cause: "${rootId}" ${status})`;
      this.#columns.recordUnstarted(index, 'skipped', { code: 'DEPENDENCY_FAILED', message: reason });
      this.#recorded(index);
      for (const next of plan.dependentsOf(index)) stack.push({ index: next, because: index });
    }
  }

  /** failFast, a batch timeout or the caller's signal: abort what runs, cancel what has not started. */
  #stop(reason: Error): void {
    if (this.#stopping || this.#finished) return;
    this.#stopping = true;
    this.#controller.abort(reason);
    this.#timers.abortAll(reason);
    const info = toErrorInfo(reason);
    const notStarted: ErrorInfo = { code: info.code, message: `not started: ${info.message}` };
    for (let index = 0; index < this.#plan.size; index++) {
      const state = this.#state[index];
      if (state === WAITING || state === QUEUED) {
        this.#columns.recordUnstarted(index, 'cancelled', notStarted);
        this.#recorded(index);
      }
    }
    this.#typeLimits?.clear();
    // Handlers that ignore the abort are given up on after a grace period.
    this.#abandonTimer = setTimeout(() => {
      for (let index = 0; index < this.#plan.size; index++) if (this.#state[index] === RUNNING) this.#onError(index, this.#attempts[index], undefined, reason);
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
    const columns = this.#columns;
    const tally = columns.tally(batch.dryRun);
    const result = resultWithLazyResults(batch, columns);
    if (this.#staged) await settleStagedChanges(this.#staged, result, tally.allGood);
    result.status = batchStatus(tally.allGood, tally.counts.succeeded, result);
    result.metrics = measureRun(batch, tally, performance.now() - this.#t0, this.#peakInFlight);
    return result;
  }
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
    { batchId: 0, events: new EventEmitter(), breakers: null, perTypeLimits: new Map(), abandonAfterMs: 0, contexts: { make: () => ({}) as HandlerContext } },
    planned(new OperationPlan(0, [], [], []), { concurrency: 1, failFast: false, atomic: false, dryRun: false, uniformPriority: true, types: [] }),
    null,
  ),
);
