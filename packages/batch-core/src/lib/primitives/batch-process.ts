import { ValidationError } from '../errors';
import { parallelSettled, type ParallelOptions } from './parallel';

export interface BatchProcessOptions extends Omit<ParallelOptions, 'failFast'> {
  /** Items pulled from the source and scheduled together. Memory stays bounded by it. @default 1000 */
  batchSize?: number;
  /** Stop at the first failed item. @default false */
  failFast?: boolean;
  /** Called with each item's outcome; results are not kept, so memory stays flat. */
  onResult?: (outcome: { index: number; ok: boolean; value?: unknown; error?: unknown }) => void;
  /** Failures kept in the summary. @default 100 */
  maxErrors?: number;
}

export interface BatchProcessSummary {
  processed: number;
  succeeded: number;
  failed: number;
  batches: number;
  /** The first `maxErrors` failures. */
  errors: Array<{ index: number; error: unknown }>;
  stoppedEarly: boolean;
}

async function* chunks<I>(items: Iterable<I> | AsyncIterable<I>, size: number): AsyncGenerator<I[]> {
  let chunk: I[] = [];
  for await (const item of items as AsyncIterable<I>) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Processes a sync or async iterable of any length with bounded memory: items are pulled in
 * batches, each batch runs through the scheduler while the next one is being pulled, and outcomes
 * are streamed to `onResult` instead of collected.
 */
export async function batchProcess<I, T>(
  items: Iterable<I> | AsyncIterable<I>,
  fn: (item: I, index: number, signal: AbortSignal) => T | Promise<T>,
  options: BatchProcessOptions = {},
): Promise<BatchProcessSummary> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValidationError(`batchSize must be a whole number ≥ 1 (got ${batchSize})`, [{ path: 'batchSize', message: 'must be ≥ 1' }]);
  if (items == null || (typeof (items as Iterable<I>)[Symbol.iterator] !== 'function' && typeof (items as AsyncIterable<I>)[Symbol.asyncIterator] !== 'function')) {
    throw new ValidationError('items must be an iterable or an async iterable', [{ path: 'items', message: 'not iterable' }]);
  }
  const maxErrors = options.maxErrors ?? 100;
  const summary: BatchProcessSummary = { processed: 0, succeeded: 0, failed: 0, batches: 0, errors: [], stoppedEarly: false };
  const source = chunks(items, batchSize);
  let next = source.next();
  let offset = 0;
  for (;;) {
    const { value: chunk, done } = await next;
    if (done) break;
    // Prefetch the next batch while this one runs.
    next = source.next();
    const base = offset;
    offset += chunk.length;
    const outcomes = await parallelSettled(
      chunk.map((item, i) => (signal: AbortSignal) => fn(item, base + i, signal)),
      { ...options, failFast: options.failFast ?? false },
    );
    summary.batches++;
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i];
      summary.processed++;
      if (outcome.status === 'succeeded') {
        summary.succeeded++;
        options.onResult?.({ index: base + i, ok: true, value: outcome.value });
      } else {
        summary.failed++;
        if (summary.errors.length < maxErrors) summary.errors.push({ index: base + i, error: outcome.error });
        options.onResult?.({ index: base + i, ok: false, error: outcome.error });
      }
    }
    if ((options.failFast && summary.failed > 0) || options.signal?.aborted) {
      summary.stoppedEarly = true;
      await source.return(undefined);
      break;
    }
  }
  return summary;
}
