import { setMaxListeners } from 'node:events';
import { ValidationError } from '../errors';
import { CpuTaskError } from './errors';
import type { CpuTask, WorkerPool } from './types';

export interface RunManyOptions {
  /**
   * Items per task. A task is worth sending to a thread only when it carries ≳0.5 ms of work, so
   * tiny items should travel in large chunks.
   * @default ceil(items / (maxThreads × 4)): four chunks per thread, so uneven chunks even out
   */
  chunkSize?: number;
  /** Aborts every chunk still queued or running. */
  signal?: AbortSignal;
}

/** Chunks spread over each thread by default: enough to balance uneven chunks, few enough to keep per-task overhead small. */
const CHUNKS_PER_THREAD = 4;

/**
 * Runs many small items in the pool, in chunks. The export receives an array of items and must
 * return an array of results of the same length; results come back in the order of `items`.
 * The first failing chunk rejects the whole call and aborts the chunks still in flight.
 */
export async function runMany<I, O>(pool: WorkerPool, task: Omit<CpuTask, 'payload'>, items: readonly I[], options: RunManyOptions = {}): Promise<O[]> {
  const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(items.length / (pool.maxThreads * CHUNKS_PER_THREAD)));
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new ValidationError(`option "chunkSize" must be a positive integer (got ${String(chunkSize)})`, [{ path: 'chunkSize', message: 'expected a positive integer' }]);
  }
  if (items.length === 0) return [];

  const chunks: I[][] = [];
  for (let start = 0; start < items.length; start += chunkSize) chunks.push(items.slice(start, start + chunkSize));

  const stopRest = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopRest.signal]) : stopRest.signal;
  // Every chunk listens on this one signal; many listeners are expected here, not a leak.
  setMaxListeners(0, signal);
  try {
    const results = await Promise.all(chunks.map((chunk) => runChunk<I, O>(pool, task, chunk, signal)));
    return results.flat();
  } catch (error) {
    stopRest.abort(error);
    throw error;
  }
}

async function runChunk<I, O>(pool: WorkerPool, task: Omit<CpuTask, 'payload'>, chunk: I[], signal: AbortSignal): Promise<O[]> {
  const output = await pool.run<unknown>({ module: task.module, exportName: task.exportName, payload: chunk }, { signal });
  if (!Array.isArray(output) || output.length !== chunk.length) {
    const got = Array.isArray(output) ? `${output.length} results` : `a ${output === null ? 'null' : typeof output}`;
    throw new CpuTaskError('CPU_CHUNK_MISMATCH', { name: 'ChunkMismatch', message: `${task.module}#${task.exportName ?? 'default'} returned ${got} for a chunk of ${chunk.length} items; it must return one result per item` }, task);
  }
  return output as O[];
}
