import { Bench } from 'tinybench';
import { forceGc } from './gc.mjs';
import { median } from './stats.mjs';

/**
 * Sides of one comparison: `run` is the timed work; `before` (untimed) prepares a sample and
 * `after` (untimed) checks that the sample really did the work, throwing if it did not.
 * `skipWarmup` leaves a side out of `alternate`'s warm-up rounds (long sides that need none).
 * @typedef {{ name: string, run: () => Promise<unknown>, before?: () => unknown, after?: () => unknown, skipWarmup?: boolean }} Side
 */

/** Rotates the start of the list each round so no side always runs first or last. */
function rotated(list, round) {
  const shift = round % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

function summarize(sides, samplesByName) {
  const out = {};
  for (const side of sides) {
    const samples = samplesByName.get(side.name);
    out[side.name] = { samples, median: median(samples) };
  }
  return out;
}

/**
 * Hand-rolled harness for long-running samples: every round runs each side once, in a rotated
 * order, after a full GC; the figure per side is the median of its rounds.
 * @param {Side[]} sides
 * @returns {Promise<Record<string, { samples: number[], median: number }>>} milliseconds
 */
export async function alternate(sides, { rounds, warmupRounds = 1, log = () => {} }) {
  const samplesByName = new Map(sides.map((s) => [s.name, []]));
  for (let round = 0; round < warmupRounds + rounds; round++) {
    const warming = round < warmupRounds;
    for (const side of rotated(sides, round)) {
      if (warming && side.skipWarmup) continue;
      await side.before?.();
      forceGc();
      const start = performance.now();
      await side.run();
      const elapsed = performance.now() - start;
      await side.after?.();
      if (!warming) samplesByName.get(side.name).push(elapsed);
    }
    log(warming ? `  warm-up round done` : `  round ${round - warmupRounds + 1}/${rounds} done`);
  }
  return summarize(sides, samplesByName);
}

/**
 * tinybench for the short samples. tinybench runs its tasks one after the other, so on a shared
 * machine a single Bench favours whichever side meets the quietest stretch; instead each round is
 * a fresh Bench of a few samples per side, with the sides added in a rotated order, and warm-up
 * only in the first round. The figure per side is the median of all its samples.
 * @param {Side[]} sides
 * @returns {Promise<Record<string, { samples: number[], median: number }>>} milliseconds
 */
export async function tinybenchRounds(sides, { rounds, iterations, warmupIterations, log = () => {} }) {
  const samplesByName = new Map(sides.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: 0, iterations, warmup: round === 0, warmupIterations, warmupTime: 0, throws: true });
    for (const side of rotated(sides, round)) {
      // An async wrapper: tinybench calls a non-async task function once at `add` to probe it.
      bench.add(side.name, async () => side.run(), {
        beforeEach: async () => {
          await side.before?.();
          forceGc();
        },
        afterEach: async () => side.after?.(),
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result?.error) throw task.result.error;
      samplesByName.get(task.name).push(...task.result.latency.samples);
    }
    log(`  round ${round + 1}/${rounds}: ${bench.tasks.map((t) => `${t.name} ${t.result.latency.p50.toFixed(1)} ms`).join(', ')}`);
  }
  return summarize(sides, samplesByName);
}
