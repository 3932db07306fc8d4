import { fixture, poolTracker } from './pool-fixtures';

const pools = poolTracker();
afterEach(() => pools.destroyAll());

describe('calling the task export', () => {
  it('calls the module itself when it is a function and no export is named', async () => {
    const pool = pools.create();
    await expect(pool.run({ module: fixture('default-function.js'), payload: [1, 'a'] })).resolves.toEqual({ received: [1, 'a'], kind: 'module-function' });
  });

  it('calls the default export of a transpiled ES module', async () => {
    const pool = pools.create();
    await expect(pool.run({ module: fixture('default-export.js'), payload: 3 })).resolves.toEqual({ received: 3, kind: 'default-export' });
    await expect(pool.run({ module: fixture('default-export.js'), exportName: 'named', payload: 4 })).resolves.toEqual({ received: 4, kind: 'named' });
  });

  it('loads a real ES module through import() and awaits async exports', async () => {
    const pool = pools.create();
    await expect(pool.run({ module: fixture('esm-task.mjs'), payload: 5 })).resolves.toBe(15);
    await expect(pool.run({ module: fixture('esm-task.mjs'), exportName: 'later', payload: 2 })).resolves.toEqual({ n: 2, loadedAs: 'esm' });
  });

  it('returns structured-cloned values intact', async () => {
    const pool = pools.create();
    const payload = { when: new Date(0), tags: new Set(['a', 'b']), bytes: new Uint8Array([1, 2, 3]), nested: { list: [1, null, 'x'] } };
    await expect(pool.run({ module: fixture('compute.js'), exportName: 'echo', payload })).resolves.toEqual(payload);
  });

  it('uses every thread for concurrent tasks and counts them', async () => {
    const pool = pools.create();
    const compute = fixture('compute.js');
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => pool.run<number>({ module: compute, exportName: 'fib', payload: n })));

    expect(results).toEqual([0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181]);
    expect(pool.maxThreads).toBe(2);
    expect(pool.stats()).toEqual({ threads: 2, completed: 20, failed: 0, queued: 0, running: 0 });
  });
});
