import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { alternate } from '../lib/harness.mjs';
import { formatMiB, formatMs, max } from '../lib/stats.mjs';

const execFileAsync = promisify(execFile);
const child = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
const ITEMS = 1_000_000;
const BATCH_SIZE = 1000;
const CONCURRENCY = 6;
const BAR_BYTES = 200 * 1024 * 1024;

async function measureInChild(mode, items) {
  const { stdout } = await execFileAsync(process.execPath, [child, mode, String(items), String(BATCH_SIZE), String(CONCURRENCY)], { maxBuffer: 1 << 20 });
  const report = JSON.parse(stdout.trim().split('\n').pop());
  if (!report.complete) throw new Error(`${mode}: processed ${report.processed} of ${report.items} items`);
  return report;
}

export async function run({ quick, log }) {
  const items = quick ? ITEMS / 10 : ITEMS;
  const reports = { batchProcess: [], naive: [] };
  const side = (mode) => ({
    name: mode,
    run: async () => {
      reports[mode].push(await measureInChild(mode, items));
    },
  });
  const rounds = quick ? 1 : 2;
  await alternate([side('batchProcess'), side('naive')], { rounds, warmupRounds: 0, log });

  const peak = (mode) => max(reports[mode].map((r) => r.maxRss));
  const rows = [
    ['`batchProcess` over an async generator', 'batchProcess'],
    ['naive: array of all items, `Promise.all` per chunk', 'naive'],
  ].map(([label, mode]) => [
    label,
    formatMiB(peak(mode)),
    formatMiB(max(reports[mode].map((r) => r.peakSampledRss))),
    formatMiB(reports[mode][0].baselineRss),
    formatMs(reports[mode].map((r) => r.elapsedMs).sort((a, b) => a - b)[0]),
  ]);
  const itemsText = items.toLocaleString('en-US');
  return {
    title: `${itemsText} items through \`batchProcess\` from an async generator: peak RSS`,
    method: [
      `Each side runs in a fresh child process (\`node tools/bench/suites/memory-child.mjs\`), ${rounds} times, alternating; the figure is the largest peak seen.`,
      `Items \`{ index, name }\` come from an async generator; each is handled by a trivial async function; batch size ${BATCH_SIZE}, concurrency ${CONCURRENCY}. Every run checks that each item was processed once.`,
      'Peak RSS is the kernel high-water mark (`process.resourceUsage().maxRSS`); the sampled peak comes from `process.memoryUsage.rss()` every 1,000 items and every 5 ms; baseline is the RSS after loading batch-core.',
    ],
    columns: ['side', 'peak RSS', 'sampled peak', 'baseline RSS', 'fastest run'],
    rows,
    checks: [
      {
        label: `batchProcess peak RSS over ${itemsText} items`,
        display: formatMiB(peak('batchProcess')),
        bar: `< ${formatMiB(BAR_BYTES)}`,
        pass: peak('batchProcess') < BAR_BYTES,
      },
    ],
    notes: [`The naive approach peaked at ${(peak('naive') / peak('batchProcess')).toFixed(2)}× the RSS of batchProcess in this run.`],
  };
}
