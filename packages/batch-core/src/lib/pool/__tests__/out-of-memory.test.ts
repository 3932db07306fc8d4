import { WorkerCrashedError, WorkerOutOfMemoryError } from '../errors';
import { fixture, poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

const OOM = fixture('oom.js');
const COMPUTE = fixture('compute.js');

describe('a worker thread that runs out of memory', () => {
  it('fails only its task with WORKER_OUT_OF_MEMORY, and the same pool runs the next task', async () => {
    const pool = pools.create({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const [exhausted, sibling] = await Promise.allSettled([
      pool.run({ module: OOM }),
      pool.run({ module: COMPUTE, exportName: 'fib', payload: 22 }),
    ]);

    expect(sibling).toEqual({ status: 'fulfilled', value: 17711 });
    expect(exhausted.status).toBe('rejected');
    const error = (exhausted as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(WorkerOutOfMemoryError);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.code).toBe('WORKER_OUT_OF_MEMORY');
    expect(error.message).toContain(`while running ${OOM}#default (heap limit 16 MB)`);
    expect(error.details).toMatchObject({ maxOldGenerationSizeMb: 16 });
    expect((error.cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');

    await expect(pool.run({ module: COMPUTE, exportName: 'echo', payload: { still: 'alive' } })).resolves.toEqual({ still: 'alive' });
  });

  it('keeps going after running out of memory twice in a row', async () => {
    const pool = pools.create({ maxThreads: 1, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    expect((await rejectionOf(pool.run({ module: OOM }))).code).toBe('WORKER_OUT_OF_MEMORY');
    expect((await rejectionOf(pool.run({ module: OOM }))).code).toBe('WORKER_OUT_OF_MEMORY');
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 12 })).resolves.toBe(144);
    expect(pool.stats()).toMatchObject({ completed: 1, failed: 2 });
  });
});
