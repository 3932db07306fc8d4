import { setTimeout } from 'node:timers';
import { measureThroughput } from '../lib/throughput.mjs';
import { formatRatio } from '../lib/stats.mjs';

const OPERATIONS = 10_000;
const CONCURRENCY = 64;
const BAR = 0.95;

const sleep1ms = (tick) =>
  new Promise((resolve) => {
    setTimeout(() => {
      tick();
      resolve();
    }, 1);
  });

export async function run({ core, quick, log }) {
  const sampling = quick ? { rounds: 1, iterations: 2, warmupIterations: 1 } : { rounds: 5, iterations: 2, warmupIterations: 1 };
  const { rows, ratio } = await measureThroughput(
    core,
    { opType: 'timer', operations: OPERATIONS, concurrency: CONCURRENCY, work: sleep1ms, baseline: 'hand-rolled loop', sampling },
    log,
  );
  const checks = ['engine.run', 'parallel()'].map((name) => ({
    label: `${name} vs hand-rolled loop`,
    display: formatRatio(ratio(name)),
    bar: `≥ ${BAR}×`,
    pass: ratio(name) >= BAR,
  }));
  return {
    title: `${OPERATIONS.toLocaleString('en-US')} operations of a 1 ms timer, concurrency ${CONCURRENCY}`,
    method: [
      `Each operation waits on \`setTimeout(…, 1)\`; the whole sample is bound by timers, so this measures what the scheduler adds around them.`,
      '`engine.run`: one batch of a registered `timer` type (engine created once, temp-dir workspace, default options); `parallel()` and the peers: the same number of task functions.',
      `tinybench: ${sampling.rounds} rounds, each a fresh Bench with the sides in a rotated order and ${sampling.iterations} samples per side (${sampling.warmupIterations} warm-up samples per side in the first round only), a full GC before each sample; the figure is the median of all ${sampling.rounds * sampling.iterations} samples of a side.`,
    ],
    columns: ['side', 'median time', 'ops/s', '× hand-rolled loop', 'samples min–max (ms)'],
    rows,
    checks,
  };
}
