import { Worker } from 'node:worker_threads';
import type { LexOrReadBatch, LexOrReadJob } from '../../workers/lex-or-read';
import type { ParseThreadReply, ParseThreadRequest } from '../../workers/parse-thread';
import type { ParsedSource } from './types';

/** The parse thread died, or failed a request; the files it held are to be parsed elsewhere. */
export class ParseThreadError extends Error {
  override readonly name = 'ParseThreadError';
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; batch?: (batch: LexOrReadBatch) => void };

/**
 * One plain worker thread that reads and lexes files (see workers/parse-thread). It never keeps
 * the process alive on its own: it is referenced only while a request is in flight, so a caller
 * awaiting its answer is not cut short, and `close()` ends it.
 */
export class ParseThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | undefined;

  private constructor(script: string) {
    this.#worker = new Worker(script);
    this.#worker.on('message', (reply: ParseThreadReply) => this.#settle(reply));
    this.#worker.on('error', (error: Error) => this.#fail(new ParseThreadError(`parse thread crashed: ${error.message}`, { cause: error })));
    this.#worker.on('messageerror', (error: Error) => this.#fail(new ParseThreadError(`parse thread sent an unreadable message: ${error.message}`, { cause: error })));
    this.#worker.on('exit', (code: number) => this.#fail(new ParseThreadError(`parse thread exited with code ${code}`)));
    // After the listeners: adding a 'message' listener references the thread again.
    this.#worker.unref();
  }

  /** Starts the thread at once; its start-up runs beside whatever the main thread does next. */
  static start(script: string): ParseThread {
    return new ParseThread(script);
  }

  /** False once the thread has died or been closed: nothing more can be sent to it. */
  get alive(): boolean {
    return this.#failure === undefined;
  }

  /**
   * Claims files from the job's shared counter until none is left: reads and hashes each, and lexes
   * the plain JavaScript modules (see workers/lex-or-read). Outcomes arrive in batches through
   * `onBatch`, the last one just before the promise resolves.
   */
  async lexOrRead(job: LexOrReadJob, onBatch: (batch: LexOrReadBatch) => void, signal?: AbortSignal): Promise<void> {
    onBatch((await this.#request({ id: this.#nextId++, op: 'lex-or-read', job }, signal, onBatch)) as LexOrReadBatch);
  }

  parseWithOxc(files: Array<{ path: string; source: string }>, signal?: AbortSignal): Promise<ParsedSource[]> {
    return this.#request({ id: this.#nextId++, op: 'oxc', files }, signal) as Promise<ParsedSource[]>;
  }

  /** Ends the thread; requests still in flight reject. Safe to call twice. */
  close(): void {
    if (this.#failure === undefined) this.#fail(new ParseThreadError('parse thread was closed'));
  }

  #request(request: ParseThreadRequest, signal: AbortSignal | undefined, batch?: (batch: LexOrReadBatch) => void): Promise<unknown> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (this.#pending.delete(request.id)) this.#unrefWhenIdle();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(request.id, {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        batch,
      });
      // Referenced while an answer is awaited: an unreferenced thread lets the process exit under a pending await.
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage(request);
    });
  }

  #settle(reply: ParseThreadReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    if ('batch' in reply) {
      pending.batch?.(reply.batch);
      return;
    }
    this.#pending.delete(reply.id);
    this.#unrefWhenIdle();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new ParseThreadError(`parse thread failed a request: ${reply.error.name}: ${reply.error.message}`));
  }

  #unrefWhenIdle(): void {
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#worker.unref();
    // Not awaited: the thread winds down on its own while the main thread goes on.
    void this.#worker.terminate().catch(() => undefined);
    for (const p of pending) p.reject(error);
  }
}
