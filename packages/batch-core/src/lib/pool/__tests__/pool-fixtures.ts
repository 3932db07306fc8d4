import * as path from 'node:path';
import { createWorkerPool } from '../worker-pool';
import type { WorkerPoolOptions } from '../options';
import type { WorkerPool } from '../types';

/** Absolute path of a worker fixture module. */
export function fixture(file: string): string {
  return path.join(__dirname, '..', '__fixtures__', file);
}

/** Small pools, destroyed after each test. */
export function poolTracker(): { create(options?: WorkerPoolOptions): WorkerPool; destroyAll(): Promise<void> } {
  const pools: WorkerPool[] = [];
  return {
    create(options = {}) {
      const pool = createWorkerPool({ maxThreads: 2, ...options });
      pools.push(pool);
      return pool;
    },
    async destroyAll() {
      await Promise.all(pools.splice(0).map((pool) => pool.destroy()));
    },
  };
}

/** The settled error of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
