import type { ErrorInfo } from '../errors';
import type { BatchMetrics, BatchResult, OperationResult, OperationStatus } from '../operations/types';
import type { ParsedBatch } from './parse-batch';
import type { OperationPlan } from './plan';
import { round } from './run-outcome';

/** Status codes in the status column; 0 means no result yet. */
const STATUSES: readonly OperationStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled', 'timed-out'];
const CODE: Readonly<Record<OperationStatus, number>> = { succeeded: 1, failed: 2, skipped: 3, cancelled: 4, 'timed-out': 5 };

export interface Tally {
  counts: Record<OperationStatus, number>;
  sumOpMs: number;
  /** Every operation succeeded (in a dry run: or was not executed by design). */
  allGood: boolean;
}

/**
 * The results of a run, one column per field. Result objects are built when somebody reads
 * them (`BatchResult.results`, an `op:end` listener), so a run of 100k quick operations records
 * numbers into typed arrays instead of making 100k objects the collector has to copy.
 */
export class ResultColumns {
  readonly #plan: OperationPlan;
  readonly #status: Uint8Array;
  readonly attempts: Uint16Array;
  /** Ms from the batch's start to each operation's first start, unrounded (the run writes it); 0 if it never started. */
  readonly startMs: Float64Array;
  readonly #durationMs: Float64Array;
  #outputs: unknown[] | null = null;
  #errors: Array<ErrorInfo | undefined> | null = null;

  constructor(plan: OperationPlan) {
    const size = plan.size;
    this.#plan = plan;
    this.#status = new Uint8Array(size);
    this.attempts = new Uint16Array(size);
    this.startMs = new Float64Array(size);
    this.#durationMs = new Float64Array(size);
  }

  /** An operation that ran (or was considered, in a dry run), with its measured duration. */
  recordMeasured(index: number, status: OperationStatus, output: unknown, error: ErrorInfo | undefined, durationMs: number): void {
    this.#status[index] = CODE[status];
    this.#durationMs[index] = durationMs;
    if (output !== undefined) (this.#outputs ??= new Array(this.#plan.size))[index] = output;
    if (error !== undefined) (this.#errors ??= new Array(this.#plan.size))[index] = error;
  }

  /** An operation that never started (skipped, cancelled before its turn): its attempts and start stay 0. */
  recordUnstarted(index: number, status: OperationStatus, error: ErrorInfo): void {
    this.recordMeasured(index, status, undefined, error, 0);
  }

  statusOf(index: number): OperationStatus {
    return STATUSES[this.#status[index] - 1];
  }

  outputOf(index: number): unknown {
    return this.#outputs === null ? undefined : this.#outputs[index];
  }

  errorOf(index: number): ErrorInfo | undefined {
    return this.#errors === null ? undefined : this.#errors[index];
  }

  durationOf(index: number): number {
    return round(this.#durationMs[index]);
  }

  /** One shape for every result object keeps readers of them monomorphic. */
  resultOf(index: number): OperationResult {
    const plan = this.#plan;
    return {
      id: plan.idOf(index),
      type: plan.handlers[index].type,
      status: this.statusOf(index),
      output: this.outputOf(index),
      error: this.errorOf(index),
      attempts: this.attempts[index],
      startMs: round(this.startMs[index]),
      durationMs: round(this.#durationMs[index]),
    };
  }

  results(): OperationResult[] {
    const size = this.#plan.size;
    const results: OperationResult[] = new Array(size);
    for (let index = 0; index < size; index++) results[index] = this.resultOf(index);
    return results;
  }

  tally(dryRun: boolean): Tally {
    const status = this.#status;
    const byCode = new Float64Array(STATUSES.length + 1);
    const sumOpMs = countStatuses(status, this.#durationMs, byCode);
    const counts: Record<OperationStatus, number> = { succeeded: byCode[1], failed: byCode[2], skipped: byCode[3], cancelled: byCode[4], 'timed-out': byCode[5] };
    let dryRunSkips = 0;
    if (dryRun && counts.skipped > 0) {
      for (let i = 0; i < status.length; i++) if (status[i] === CODE.skipped && this.errorOf(i)?.code === 'DRY_RUN') dryRunSkips++;
    }
    return { counts, sumOpMs, allGood: counts.succeeded + dryRunSkips === status.length };
  }
}

/**
 * Counts each status code into `byCode` and returns the sum of the rounded durations. A function
 * of its own, so that optimizing its loop mid-run does not leave the caller's code after the
 * loop without type feedback (which cost a deoptimization on every batch).
 */
function countStatuses(status: Uint8Array, durations: Float64Array, byCode: Float64Array): number {
  let sumOpMs = 0;
  for (let i = 0; i < status.length; i++) {
    byCode[status[i]]++;
    sumOpMs += round(durations[i]);
  }
  return sumOpMs;
}

/**
 * Where a BatchResult keeps its columns until `results` is first read: a non-enumerable symbol
 * property, invisible to JSON, spread and structuredClone, and collected with the result (a
 * WeakMap entry would keep the columns until the next full collection).
 */
const UNREAD = Symbol('unread results');

type UnreadResult = BatchResult & { [UNREAD]?: ResultColumns };

function readResults(this: UnreadResult): OperationResult[] {
  const columns = this[UNREAD];
  const results = columns === undefined ? [] : columns.results();
  writeResults.call(this, results);
  return results;
}

function writeResults(this: UnreadResult, value: OperationResult[]): void {
  this[UNREAD] = undefined;
  Object.defineProperty(this, 'results', { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The batch result, whose `results` array is built from the columns on first read and is a plain
 * data property from then on. Before that it is an enumerable accessor, so every reader (JSON,
 * spread, structuredClone) sees it like any other property. The accessor functions are shared so
 * that every BatchResult keeps one hidden class.
 */
export function resultWithLazyResults(batch: ParsedBatch, columns: ResultColumns): BatchResult {
  const result: UnreadResult = {
    label: batch.label,
    status: 'succeeded',
    dryRun: batch.dryRun,
    atomic: batch.atomic,
    results: undefined as unknown as OperationResult[],
    metrics: undefined as unknown as BatchMetrics,
  };
  Object.defineProperty(result, UNREAD, { value: columns, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(result, 'results', { get: readResults, set: writeResults, enumerable: true, configurable: true });
  return result;
}
