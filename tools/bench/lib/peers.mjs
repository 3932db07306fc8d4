import pLimit from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';

/**
 * The peers every engine number is compared with. Each takes the same array of task functions
 * and collects their results, as the engine does.
 */

export function runWithPMap(tasks, concurrency) {
  return pMap(tasks, (task) => task(), { concurrency });
}

export function runWithPLimit(tasks, concurrency) {
  const limit = pLimit(concurrency);
  return Promise.all(tasks.map((task) => limit(task)));
}

export function runWithPQueue(tasks, concurrency) {
  const queue = new PQueue({ concurrency });
  return queue.addAll(tasks);
}

/** The hand-rolled baseline: `concurrency` workers pulling the next index from a shared counter. */
export async function runWithLoop(tasks, concurrency) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

export const PEERS = [
  { name: 'p-map', run: runWithPMap },
  { name: 'p-limit', run: runWithPLimit },
  { name: 'p-queue', run: runWithPQueue },
  { name: 'hand-rolled loop', run: runWithLoop },
];
