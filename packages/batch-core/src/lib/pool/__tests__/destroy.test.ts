import { CancelledError } from '../../errors';
import { createWorkerPool } from '../worker-pool';
import { fixture, rejectionOf } from './pool-fixtures';

const SPIN = fixture('spin.js');
const COMPUTE = fixture('compute.js');

describe('destroying the pool', () => {
  it('rejects running and queued tasks with CancelledError and stops every thread', async () => {
    const pool = createWorkerPool({ maxThreads: 1 });
    const running = pool.run({ module: SPIN, payload: { ms: 120_000 } });
    const queued = pool.run({ module: COMPUTE, exportName: 'echo', payload: 'never' });
    expect(pool.stats()).toMatchObject({ running: 1, queued: 1 });

    const errors = Promise.all([rejectionOf(running), rejectionOf(queued)]);
    await pool.destroy();

    const [runningError, queuedError] = await errors;
    expect(runningError).toBeInstanceOf(CancelledError);
    expect(queuedError).toBeInstanceOf(CancelledError);
    expect(queuedError.message).toBe(`worker pool was destroyed before ${COMPUTE}#echo finished`);
    expect(pool.stats()).toMatchObject({ threads: 0, queued: 0, running: 0, failed: 2 });
  });

  it('is idempotent and refuses new tasks afterwards', async () => {
    const pool = createWorkerPool({ maxThreads: 2 });
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 10 })).resolves.toBe(55);

    await Promise.all([pool.destroy(), pool.destroy()]);
    await pool.destroy();

    const error = await rejectionOf(pool.run({ module: COMPUTE, exportName: 'fib', payload: 10 }));
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('worker pool has been destroyed');
    expect(pool.stats()).toMatchObject({ threads: 0, completed: 1 });
  });
});
