import { ValidationError } from '../../errors';
import { runMany } from '../run-many';
import { fixture, poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

const COMPUTE = fixture('compute.js');
const items = Array.from({ length: 1000 }, (_, i) => i);

describe('running many small items in chunks', () => {
  it('returns every result in the order of the items, one task per chunk', async () => {
    const pool = pools.create();
    const results = await runMany<number, number>(pool, { module: COMPUTE, exportName: 'doubleAll' }, items, { chunkSize: 64 });

    expect(results).toEqual(items.map((i) => i * 2));
    expect(pool.stats().completed).toBe(Math.ceil(1000 / 64));
  });

  it('defaults to four chunks per thread', async () => {
    const pool = pools.create({ maxThreads: 2 });
    const results = await runMany<number, number>(pool, { module: COMPUTE, exportName: 'doubleAll' }, items);

    expect(results).toEqual(items.map((i) => i * 2));
    expect(pool.stats().completed).toBe(8);
  });

  it('sends one task for fewer items than a chunk, and none for no items', async () => {
    const pool = pools.create();
    await expect(runMany(pool, { module: COMPUTE, exportName: 'doubleAll' }, [1, 2, 3], { chunkSize: 100 })).resolves.toEqual([2, 4, 6]);
    await expect(runMany(pool, { module: COMPUTE, exportName: 'doubleAll' }, [])).resolves.toEqual([]);
    expect(pool.stats().completed).toBe(1);
  });

  it('rejects with the failing chunk\'s error', async () => {
    const pool = pools.create();
    const withNegative = items.map((i) => (i === 700 ? -1 : i));
    const error = await rejectionOf(runMany(pool, { module: COMPUTE, exportName: 'failOnNegative' }, withNegative, { chunkSize: 100 }));

    expect(error.code).toBe('CPU_TASK_FAILED');
    expect(error.message).toBe('negative item -1');
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 10 })).resolves.toBe(55);
  });

  it('rejects a chunk whose result count differs from its item count', async () => {
    const pool = pools.create();
    const error = await rejectionOf(runMany(pool, { module: COMPUTE, exportName: 'dropOne' }, items, { chunkSize: 250 }));

    expect(error.code).toBe('CPU_CHUNK_MISMATCH');
    expect(error.message).toContain('returned 249 results for a chunk of 250 items');
  });

  it('stops every chunk when the caller aborts', async () => {
    const pool = pools.create();
    const controller = new AbortController();
    const spins = Array.from({ length: 6 }, () => ({ ms: 120_000 }));
    const running = runMany(pool, { module: fixture('spin.js') }, spins, { chunkSize: 1, signal: controller.signal });
    controller.abort();

    expect((await rejectionOf(running)).code).toBe('CANCELLED');
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 12 })).resolves.toBe(144);
  });

  it('refuses a chunk size that is not a positive integer', async () => {
    const pool = pools.create();
    await expect(runMany(pool, { module: COMPUTE }, items, { chunkSize: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(runMany(pool, { module: COMPUTE }, items, { chunkSize: 2.5 })).rejects.toThrow('option "chunkSize" must be a positive integer (got 2.5)');
  });
});
