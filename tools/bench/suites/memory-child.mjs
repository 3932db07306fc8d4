/**
 * One memory measurement, in its own process so nothing else shares its heap:
 *   node memory-child.mjs batchProcess|naive <items> <batchSize> <concurrency>
 * Prints one JSON line: peak RSS (the kernel's high-water mark and our own samples), and a check
 * that every item was processed once.
 */
import { setInterval, clearInterval } from 'node:timers';
import { loadCore, need } from '../lib/core.mjs';

const [mode, itemsArg, batchSizeArg, concurrencyArg] = process.argv.slice(2);
const ITEMS = Number(itemsArg);
const BATCH_SIZE = Number(batchSizeArg);
const CONCURRENCY = Number(concurrencyArg);
const SAMPLE_EVERY = 1000;

// Loaded in both modes so both start from the same baseline.
const core = await loadCore();
const batchProcess = need(core, 'batchProcess');

let peakSampled = process.memoryUsage.rss();
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peakSampled) peakSampled = rss;
};
const baselineRss = process.memoryUsage.rss();

async function* source(count) {
  for (let index = 0; index < count; index++) yield { index, name: `item-${index}` };
}

let processed = 0;
let indexSum = 0;
// Microtask-only work starves timers, so the item function samples too.
const processItem = async (item) => {
  processed++;
  indexSum += item.index;
  if (processed % SAMPLE_EVERY === 0) sample();
};

async function viaBatchProcess() {
  const summary = await batchProcess(source(ITEMS), processItem, { batchSize: BATCH_SIZE, concurrency: CONCURRENCY });
  if (summary.processed !== ITEMS || summary.failed !== 0) throw new Error(`batchProcess summary: ${JSON.stringify(summary)}`);
}

async function viaNaiveArray() {
  const items = [];
  for await (const item of source(ITEMS)) items.push(item);
  sample();
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    await Promise.all(items.slice(start, start + BATCH_SIZE).map(processItem));
  }
}

const timer = setInterval(sample, 5);
const started = performance.now();
if (mode === 'batchProcess') await viaBatchProcess();
else if (mode === 'naive') await viaNaiveArray();
else throw new Error(`unknown mode "${mode}"`);
const elapsedMs = performance.now() - started;
clearInterval(timer);
sample();

const expectedSum = (ITEMS * (ITEMS - 1)) / 2;
process.stdout.write(
  `${JSON.stringify({
    mode,
    items: ITEMS,
    processed,
    complete: processed === ITEMS && indexSum === expectedSum,
    elapsedMs,
    baselineRss,
    peakSampledRss: peakSampled,
    // getrusage high-water mark, in kilobytes on Linux and macOS alike through Node
    maxRss: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
