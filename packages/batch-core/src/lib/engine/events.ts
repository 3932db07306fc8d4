import type { ErrorInfo } from '../errors';
import type { BatchResult, OperationResult } from '../operations/types';

interface EventBase {
  /** Distinguishes concurrent runs on one engine. */
  batchId: number;
}

export type BatchEvent =
  | (EventBase & { type: 'batch:start'; label?: string; operations: number; concurrency: number; atomic: boolean; dryRun: boolean })
  | (EventBase & { type: 'op:start'; id: string; opType: string; attempt: number })
  | (EventBase & { type: 'op:retry'; id: string; opType: string; attempt: number; delayMs: number; error: ErrorInfo })
  | (EventBase & { type: 'op:end'; result: OperationResult })
  | (EventBase & { type: 'batch:end'; result: BatchResult });

export type BatchEventType = BatchEvent['type'];
export const BATCH_EVENT_TYPES: readonly BatchEventType[] = ['batch:start', 'op:start', 'op:retry', 'op:end', 'batch:end'];

/** A push-to-pull bridge: events pushed by the engine, consumed with `for await`. */
export class EventChannel<T> implements AsyncIterableIterator<T> {
  #buffer: T[] = [];
  #waiting: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  #ended = false;
  #error: unknown;
  #onClose?: () => void;

  constructor(onClose?: () => void) {
    this.#onClose = onClose;
  }

  push(value: T): void {
    if (this.#ended) return;
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else this.#buffer.push(value);
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#onClose?.();
    for (const waiter of this.#waiting.splice(0)) {
      if (error !== undefined) waiter.reject(error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#buffer.length > 0) return Promise.resolve({ value: this.#buffer.shift() as T, done: false });
    if (this.#ended) {
      if (this.#error !== undefined) {
        const error = this.#error;
        this.#error = undefined;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.#buffer = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
