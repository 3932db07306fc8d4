import { measureThroughput } from '../lib/throughput.mjs';
import { formatRatio } from '../lib/stats.mjs';

const OPERATIONS = 100_000;
const CONCURRENCY = 6;
const BAR = 2;

export async function run({ core, quick, log }) {
  const sampling = quick ? { rounds: 1, iterations: 2, warmupIterations: 1 } : { rounds: 7, iterations: 2, warmupIterations: 2 };
  const { rows, ratio } = await measureThroughput(
    core,
    { opType: 'noop', operations: OPERATIONS, concurrency: CONCURRENCY, work: (tick) => tick(), baseline: 'p-map', sampling },
    log,
  );
  const checks = ['engine.run', 'parallel()'].map((name) => ({
    label: `${name} vs p-map`,
    display: formatRatio(ratio(name)),
    bar: `≥ ${BAR}×`,
    pass: ratio(name) >= BAR,
  }));
  return {
    title: `${OPERATIONS.toLocaleString('en-US')} no-op operations, concurrency ${CONCURRENCY}`,
    method: [
      `Each sample runs ${OPERATIONS.toLocaleString('en-US')} operations that do nothing but count themselves.`,
      '`engine.run`: one batch of that many operations of a registered `noop` type whose handler returns synchronously (engine created once, on a temp-dir workspace, default options: the run is recorded in metrics.jsonl).',
      '`parallel()` and the peers: the same number of `async () => {}` task functions (results collected).',
      'What the engine does per operation that the peers do not: `engine.run` validates every operation (shape, unique id, known type, params schema, dependency graph) before any runs, and records for each its status, attempts, output and measured start and duration; the peers return the bare values.',
      'The engine keeps a batch\'s plan and results in columns (typed arrays and one array per field), and builds the per-operation result objects of `BatchResult.results` when they are first read. `engine.run` does not read them; `engine.run, results read` is the same run followed by reading `results` inside the timed region, which is what a caller that looks at every result pays.',
      `tinybench: ${sampling.rounds} rounds, each a fresh Bench with the sides in a rotated order and ${sampling.iterations} samples per side (${sampling.warmupIterations} warm-up samples per side in the first round only), a full GC before each sample; the figure is the median of all ${sampling.rounds * sampling.iterations} samples of a side.`,
    ],
    columns: ['side', 'median time', 'ops/s', '× p-map', 'samples min–max (ms)'],
    rows,
    checks,
  };
}
