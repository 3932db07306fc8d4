import { isRetryable, toErrorInfo } from '../../errors';
import { PoolQueueFullError } from '../errors';
import { fixture, poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

const SPIN = fixture('spin.js');
const COMPUTE = fixture('compute.js');

describe('a queue over maxQueue', () => {
  it('rejects the extra task with POOL_QUEUE_FULL, retryable, and accepts tasks again once there is room', async () => {
    const pool = pools.create({ maxThreads: 1, maxQueue: 1 });
    const stop = new AbortController();
    const running = pool.run({ module: SPIN, payload: { ms: 120_000 } }, { signal: stop.signal });
    // With a signal, as the engine always passes one: piscina's own limit would not count this task.
    const queued = pool.run({ module: COMPUTE, exportName: 'echo', payload: 'queued' }, { signal: new AbortController().signal });

    const error = await rejectionOf(pool.run({ module: COMPUTE, exportName: 'echo', payload: 'extra' }));
    expect(error).toBeInstanceOf(PoolQueueFullError);
    expect(error.code).toBe('POOL_QUEUE_FULL');
    expect(error.message).toContain('maxQueue 1');
    expect(toErrorInfo(error)).toEqual({ code: 'POOL_QUEUE_FULL', message: error.message, details: { maxQueue: 1 } });
    expect(isRetryable(error)).toBe(true);
    expect(pool.stats()).toMatchObject({ queued: 1, running: 1, failed: 1 });

    stop.abort();
    await rejectionOf(running);
    await expect(queued).resolves.toBe('queued');
    await expect(pool.run({ module: COMPUTE, exportName: 'echo', payload: 'room again' })).resolves.toBe('room again');
  });

  it('with maxQueue 0 takes only as many tasks as there are threads', async () => {
    const pool = pools.create({ maxThreads: 2, maxQueue: 0 });
    const stop = new AbortController();
    const busy = [0, 1].map(() => pool.run({ module: SPIN, payload: { ms: 120_000 } }, { signal: stop.signal }));

    expect((await rejectionOf(pool.run({ module: COMPUTE, exportName: 'echo', payload: 1 }))).code).toBe('POOL_QUEUE_FULL');
    stop.abort();
    const settled = await Promise.allSettled(busy);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });

  it('is unbounded by default', async () => {
    const pool = pools.create({ maxThreads: 1 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.run<number>({ module: COMPUTE, exportName: 'echo', payload: i })));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
