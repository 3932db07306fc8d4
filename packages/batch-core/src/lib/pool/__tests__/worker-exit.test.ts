import { toErrorInfo, isRetryable } from '../../errors';
import { WorkerCrashedError } from '../errors';
import { fixture, poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

const CRASH = fixture('crash.js');
const COMPUTE = fixture('compute.js');

describe('a worker thread that dies', () => {
  it('fails its task with WORKER_CRASHED and the exit code when the task calls process.exit()', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: CRASH, exportName: 'exit', payload: 7 }));

    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.code).toBe('WORKER_CRASHED');
    expect(error.message).toBe(`worker thread exited with code 7 while running ${CRASH}#exit`);
    expect(error.details).toMatchObject({ exitCode: 7, module: CRASH, export: 'exit' });
    expect(toErrorInfo(error).code).toBe('WORKER_CRASHED');
    expect(isRetryable(error)).toBe(false);
  });

  it('fails its task with WORKER_CRASHED naming the error thrown outside the task', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: CRASH, exportName: 'throwLater', payload: 'stray timer blew up' }));

    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.code).toBe('WORKER_CRASHED');
    expect(error.message).toContain('TypeError: stray timer blew up');
    expect(error.details).toMatchObject({ name: 'TypeError' });
  });

  it('reports a result that cannot be cloned back as WORKER_CRASHED instead of hanging', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: CRASH, exportName: 'unclonableResult' }));

    expect(error.code).toBe('WORKER_CRASHED');
    expect(error.message).toContain('structured-cloned');
  });

  it('leaves the task on the other thread untouched', async () => {
    const pool = pools.create();
    const [crashed, sibling] = await Promise.allSettled([
      pool.run({ module: CRASH, exportName: 'exit', payload: 1 }),
      pool.run({ module: fixture('spin.js'), payload: { ms: 200 } }),
    ]);

    expect(crashed.status).toBe('rejected');
    expect(sibling.status).toBe('fulfilled');
    expect((sibling as PromiseFulfilledResult<{ turns: number }>).value.turns).toBeGreaterThan(0);
  });

  it('replaces the thread, so later tasks run on a fresh one', async () => {
    const pool = pools.create({ maxThreads: 1 });
    const before = await pool.run<number>({ module: COMPUTE, exportName: 'threadId' });
    await rejectionOf(pool.run({ module: CRASH, exportName: 'exit', payload: 2 }));
    const after = await pool.run<number>({ module: COMPUTE, exportName: 'threadId' });

    expect(after).not.toBe(before);
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 15 })).resolves.toBe(610);
    expect(pool.stats()).toMatchObject({ threads: 1, completed: 3, failed: 1 });
  });
});
