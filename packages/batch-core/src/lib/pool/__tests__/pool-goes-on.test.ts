import { fixture, poolTracker } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

const COMPUTE = fixture('compute.js');
const CRASH = fixture('crash.js');
const THROWS = fixture('throws.js');

describe('a pool whose tasks keep failing in every way', () => {
  it('fails exactly the bad tasks and completes every other one, in a mixed concurrent batch', async () => {
    const pool = pools.create({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const stop = new AbortController();
    const tasks: Array<{ expect: string; run: () => Promise<unknown> }> = [];
    for (let round = 0; round < 3; round++) {
      tasks.push({ expect: '6765', run: () => pool.run({ module: COMPUTE, exportName: 'fib', payload: 20 }) });
      tasks.push({ expect: 'WORKER_CRASHED', run: () => pool.run({ module: CRASH, exportName: 'exit', payload: 1 }) });
      tasks.push({ expect: `echo-${round}`, run: () => pool.run({ module: COMPUTE, exportName: 'echo', payload: `echo-${round}` }) });
      tasks.push({ expect: 'CPU_TASK_FAILED', run: () => pool.run({ module: THROWS, exportName: 'typeError', payload: round }) });
      tasks.push({ expect: 'WORKER_OUT_OF_MEMORY', run: () => pool.run({ module: fixture('oom.js') }) });
      tasks.push({ expect: 'WORKER_CRASHED', run: () => pool.run({ module: CRASH, exportName: 'throwLater', payload: `late-${round}` }) });
      tasks.push({ expect: 'CANCELLED', run: () => pool.run({ module: fixture('spin.js'), payload: { ms: 120_000 } }, { signal: stop.signal }) });
    }

    const pending = tasks.map((task) => task.run());
    stop.abort();
    const settled = await Promise.allSettled(pending);
    const outcomes = settled.map((s) => (s.status === 'fulfilled' ? String(s.value) : (s.reason as { code: string }).code));

    expect(outcomes).toEqual(tasks.map((task) => task.expect));
    expect(pool.stats()).toMatchObject({ completed: 6, failed: 15, queued: 0, running: 0 });
    await expect(pool.run({ module: COMPUTE, exportName: 'fib', payload: 25 })).resolves.toBe(75025);
  });
});
