import * as os from 'node:os';
import { ValidationError } from '../../errors';
import { resolveWorkerPoolOptions } from '../options';
import { createWorkerPool } from '../worker-pool';
import type { WorkerPoolOptions } from '../options';

function validationErrorOf(options: unknown): ValidationError {
  try {
    createWorkerPool(options as WorkerPoolOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected createWorkerPool to throw');
}

describe('worker pool options', () => {
  it('default to one thread per available core, all started up front, and an unbounded queue', () => {
    expect(resolveWorkerPoolOptions()).toEqual({ maxThreads: os.availableParallelism(), minThreads: os.availableParallelism(), idleTimeoutMs: 30_000, maxQueue: Infinity });
  });

  it('keep what was given', () => {
    const options = { maxThreads: 3, minThreads: 1, idleTimeoutMs: 500, maxQueue: 10, resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 2 }, execArgv: ['--no-warnings'] };
    expect(resolveWorkerPoolOptions(options)).toEqual(options);
  });

  it('name the option and the bad value', () => {
    const error = validationErrorOf({ maxThreads: 0 });
    expect(error.message).toContain('option "maxThreads"');
    expect(error.message).toContain('(got 0)');
    expect([...error.issues].sort((a, b) => a.path.localeCompare(b.path))).toEqual([{ path: 'maxThreads', message: expect.stringContaining('(got 0)') }]);
  });

  it('report every bad option, nested ones with their full path', () => {
    const error = validationErrorOf({ idleTimeoutMs: -5, maxQueue: 1.5, resourceLimits: { maxOldGenerationSizeMb: 'lots' }, execArgv: ['--ok', 7] });
    expect(error.issues.map((issue) => issue.path)).toEqual(['idleTimeoutMs', 'maxQueue', 'resourceLimits.maxOldGenerationSizeMb', 'execArgv[1]']);
    expect(error.message).toContain('(got -5)');
    expect(error.message).toContain('(got 1.5)');
    expect(error.message).toContain('(got "lots")');
    expect(error.message).toContain('(got 7)');
  });

  it('refuse unknown options by name', () => {
    const error = validationErrorOf({ maxThread: 2, resourceLimits: { heapMb: 1 } });
    expect([...error.issues].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'maxThread', message: 'unknown option "maxThread"' },
      { path: 'resourceLimits.heapMb', message: 'unknown option "resourceLimits.heapMb"' },
    ]);
  });

  it('refuse minThreads above maxThreads', () => {
    const error = validationErrorOf({ maxThreads: 2, minThreads: 3 });
    expect(error.message).toContain('"minThreads" (3) must not exceed "maxThreads" (2)');
  });

  it('start minThreads threads with the pool', async () => {
    const pool = createWorkerPool({ maxThreads: 2, minThreads: 1 });
    try {
      expect(pool.stats().threads).toBe(1);
      expect(pool.maxThreads).toBe(2);
    } finally {
      await pool.destroy();
    }
  });
});
