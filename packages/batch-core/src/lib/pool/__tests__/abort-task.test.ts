import { CancelledError, TimeoutError } from '../../errors';
import { fixture, poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

const SPIN = fixture('spin.js');
const COMPUTE = fixture('compute.js');
// Far longer than any test may take: only an abort ends these tasks.
const FOREVER_MS = 120_000;

describe('aborting a task', () => {
  it('stops a running busy-looping task with CANCELLED and the next task runs', async () => {
    const pool = pools.create();
    const controller = new AbortController();
    const spinning = pool.run({ module: SPIN, payload: { ms: FOREVER_MS } }, { signal: controller.signal });
    // A quick task first proves the pool is up, so the spinning task has reached a thread.
    await pool.run({ module: COMPUTE, exportName: 'fib', payload: 10 });
    expect(pool.stats().running).toBe(1);
    controller.abort();

    const error = await rejectionOf(spinning);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.code).toBe('CANCELLED');
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 20 })).resolves.toBe(6765);
  });

  it('rejects with the signal reason when it is an Error, such as the engine\'s TimeoutError', async () => {
    const pool = pools.create();
    const controller = new AbortController();
    const spinning = pool.run({ module: SPIN, payload: { ms: FOREVER_MS } }, { signal: controller.signal });
    const reason = new TimeoutError(50, 'operation "spin"');
    controller.abort(reason);

    const error = await rejectionOf(spinning);
    expect(error).toBe(reason);
    expect(error.code).toBe('TIMEOUT');
    await expect(pool.run({ module: COMPUTE, exportName: 'echo', payload: 'after' })).resolves.toBe('after');
  });

  it('uses a string reason as the CancelledError message', async () => {
    const pool = pools.create();
    const controller = new AbortController();
    const spinning = pool.run({ module: SPIN, payload: { ms: FOREVER_MS } }, { signal: controller.signal });
    controller.abort('batch cancelled by user');

    const error = await rejectionOf(spinning);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('batch cancelled by user');
  });

  it('removes a queued task without disturbing the tasks that are running', async () => {
    const pool = pools.create({ maxThreads: 1 });
    const stopRunning = new AbortController();
    const running = pool.run({ module: SPIN, payload: { ms: FOREVER_MS } }, { signal: stopRunning.signal });
    const stopQueued = new AbortController();
    const queued = pool.run({ module: COMPUTE, exportName: 'echo', payload: 'never' }, { signal: stopQueued.signal });
    expect(pool.stats().queued).toBe(1);

    stopQueued.abort();
    expect((await rejectionOf(queued)).code).toBe('CANCELLED');
    expect(pool.stats()).toMatchObject({ queued: 0, running: 1 });

    stopRunning.abort();
    expect((await rejectionOf(running)).code).toBe('CANCELLED');
    await expect(pool.run({ module: COMPUTE, exportName: 'echo', payload: 'next' })).resolves.toBe('next');
  });

  it('rejects at once when the signal is already aborted, without running the task', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: COMPUTE, exportName: 'echo', payload: 1 }, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('CANCELLED');
    expect(pool.stats()).toMatchObject({ completed: 0, failed: 1, running: 0, queued: 0 });
  });
});
