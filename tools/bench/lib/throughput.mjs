import { assertBatchSucceeded, need, registryWith, tempWorkspace, zodOf } from './core.mjs';
import { tinybenchRounds } from './harness.mjs';
import { PEERS } from './peers.mjs';
import { formatCount, formatMs, formatRange, formatRatio } from './stats.mjs';

/**
 * The same N operations through the engine (`engine.run` of a batch of a registered type, and
 * `parallel()` over task functions) and through each peer, at one concurrency, measured side by
 * side with tinybench. Every sample is checked to have run all N operations.
 *
 * @param {object} spec
 * @param {string} spec.opType           name of the registered operation type
 * @param {number} spec.operations
 * @param {number} spec.concurrency
 * @param {(tick: () => void) => unknown} spec.work  one operation's work; calls `tick` when done
 * @param {string} spec.baseline         side the ratios are taken against
 * @param {{ rounds: number, iterations: number, warmupIterations: number }} spec.sampling
 */
export async function measureThroughput(core, spec, log) {
  const z = zodOf(core);
  const BatchEngine = need(core, 'BatchEngine');
  const parallel = need(core, 'parallel');

  let calls = 0;
  const tick = () => {
    calls++;
  };
  const registry = registryWith(core, [{ type: spec.opType, params: z.any(), run: () => spec.work(tick) }]);
  const { workspace, dispose } = await tempWorkspace(core, spec.opType);
  const engine = new BatchEngine({ workspace, registry });

  const batch = {
    label: `bench-${spec.opType}`,
    concurrency: spec.concurrency,
    operations: Array.from({ length: spec.operations }, (_, i) => ({ id: `op${i}`, type: spec.opType })),
  };
  const task = async () => spec.work(tick);
  const tasks = Array.from({ length: spec.operations }, () => task);

  const expectAll = (side) => () => {
    if (calls !== spec.operations) throw new Error(`${side}: ran ${calls} of ${spec.operations} operations`);
  };
  const side = (name, run) => ({ name, run, before: () => void (calls = 0), after: expectAll(name) });

  let lastResult;
  const sides = [
    side('engine.run', async () => {
      lastResult = await engine.run(batch);
    }),
    // The same run, reading every result object inside the timed region: the engine keeps results
    // in columns and builds the objects on first read, so this is the cost a caller who reads them pays.
    side('engine.run, results read', async () => {
      const result = await engine.run(batch);
      if (result.results.length !== spec.operations) throw new Error('engine.run: wrong number of results');
      lastResult = result;
    }),
    side('parallel()', () => parallel(tasks, { concurrency: spec.concurrency })),
    ...PEERS.map((peer) => side(peer.name, () => peer.run(tasks, spec.concurrency))),
  ];
  const engineSide = sides[0];
  const checkEngine = engineSide.after;
  engineSide.after = () => {
    checkEngine();
    assertBatchSucceeded(lastResult, spec.operations, 'engine.run');
  };

  try {
    const measured = await tinybenchRounds(sides, { ...spec.sampling, log });
    const baselineMs = measured[spec.baseline].median;
    const rows = sides.map(({ name }) => {
      const { median, samples } = measured[name];
      return [name, formatMs(median), formatCount((spec.operations / median) * 1000), formatRatio(baselineMs / median), formatRange(samples)];
    });
    const ratio = (name) => baselineMs / measured[name].median;
    return { measured, rows, ratio, engineMetrics: lastResult.metrics };
  } finally {
    await engine.close();
    await dispose();
  }
}
