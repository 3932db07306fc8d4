import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { assertBatchSucceeded, need, registryWith, tempWorkspace, zodOf } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { runWithLoop } from '../lib/peers.mjs';
import { formatMs, formatRatio, formatSpread } from '../lib/stats.mjs';

const OPERATIONS = 60;
const LATENCY_MS = 50;
const CONCURRENCY = 6;
const BAR = 5.7;

const serverScript = fileURLToPath(new URL('../fixtures/slow-server.mjs', import.meta.url));

/** Starts the slow server in a child process; resolves once it listens. */
async function startSlowServer() {
  const child = spawn(process.execPath, [serverScript, String(LATENCY_MS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await once(readline.createInterface({ input: child.stdout }), 'line');
  const url = `http://127.0.0.1:${JSON.parse(line).port}`;
  return {
    url,
    /** Requests answered and their peak in flight since the last call. */
    stats: async () => (await globalThis.fetch(`${url}/__stats`)).json(),
    close: async () => {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run({ core, quick, log }) {
  const z = zodOf(core);
  const BatchEngine = need(core, 'BatchEngine');
  const server = await startSlowServer();
  let sleeps = 0;
  const registry = registryWith(core, [
    {
      type: 'sleep',
      params: z.object({ ms: z.number() }),
      run: async (params) => {
        await sleep(params.ms);
        sleeps++;
      },
    },
  ]);
  const { workspace, dispose } = await tempWorkspace(core, 'latency');
  const engine = new BatchEngine({ workspace, registry });

  const urls = Array.from({ length: OPERATIONS }, (_, i) => `${server.url}/item/${i}`);
  const httpBatch = { label: 'bench-latency-http', operations: urls.map((url, i) => ({ id: `get${i}`, type: 'http.request', params: { method: 'GET', url } })) };
  const sleepBatch = { label: 'bench-latency-sleep', operations: urls.map((_, i) => ({ id: `sleep${i}`, type: 'sleep', params: { ms: LATENCY_MS } })) };
  const fetchTasks = urls.map((url) => async () => {
    const response = await globalThis.fetch(url);
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
    return response.text();
  });
  const sleepTasks = urls.map(() => async () => {
    await sleep(LATENCY_MS);
    sleeps++;
  });

  const peakAtServer = {};
  const engineSpeedup = {};
  /** Checks, untimed, that every operation reached its target: the server's count or the sleep counter. */
  const expectReached = async (name, kind) => {
    if (kind === 'http') {
      const stats = await server.stats();
      if (stats.requests !== OPERATIONS) throw new Error(`${name}: the server saw ${stats.requests} of ${OPERATIONS} requests`);
      peakAtServer[name] = stats.peakInFlight;
    } else if (sleeps !== OPERATIONS) {
      throw new Error(`${name}: ${sleeps} of ${OPERATIONS} sleeps completed`);
    }
  };
  const prepare = async (kind) => {
    sleeps = 0;
    if (kind === 'http') await server.stats();
  };
  const engineSide = (kind, batch, concurrency) => {
    const name = `engine ${kind} c${concurrency}`;
    let result;
    return {
      name,
      skipWarmup: concurrency === 1,
      before: () => prepare(kind),
      run: async () => {
        result = await engine.run(batch, { concurrency });
      },
      after: async () => {
        assertBatchSucceeded(result, OPERATIONS, name);
        await expectReached(name, kind);
        engineSpeedup[name] = result.metrics.speedup;
      },
    };
  };
  const loopSide = (kind, tasks, concurrency) => {
    const name = `loop ${kind} c${concurrency}`;
    return {
      name,
      skipWarmup: concurrency === 1,
      before: () => prepare(kind),
      run: () => runWithLoop(tasks, concurrency),
      after: () => expectReached(name, kind),
    };
  };

  const kinds = [
    ['engine http', (c) => engineSide('http', httpBatch, c)],
    ['engine sleep', (c) => engineSide('sleep', sleepBatch, c)],
    ['loop http', (c) => loopSide('http', fetchTasks, c)],
    ['loop sleep', (c) => loopSide('sleep', sleepTasks, c)],
  ];
  const sides = kinds.flatMap(([, make]) => [make(CONCURRENCY), make(1)]);
  const rounds = quick ? 1 : 3;
  try {
    const measured = await alternate(sides, { rounds, warmupRounds: 1, log });
    const at = (prefix, c) => measured[`${prefix} c${c}`];
    const speedup = (prefix) => at(prefix, 1).median / at(prefix, CONCURRENCY).median;
    const labels = {
      'engine http': 'engine, built-in `http.request`',
      'engine sleep': 'engine, registered `sleep` type',
      'loop http': 'hand-rolled loop, `fetch()` (reference)',
      'loop sleep': 'hand-rolled loop, sleep (reference)',
    };
    const rows = kinds.map(([prefix]) => {
      const fast = `${prefix} c${CONCURRENCY}`;
      return [
        labels[prefix],
        formatMs(at(prefix, 1).median),
        formatMs(at(prefix, CONCURRENCY).median),
        formatRatio(speedup(prefix)),
        fast in engineSpeedup ? formatRatio(engineSpeedup[fast]) : 'n/a',
        fast in peakAtServer ? String(peakAtServer[fast]) : 'n/a',
        formatSpread(at(prefix, CONCURRENCY).samples),
      ];
    });
    const checks = [
      ['engine http.request speed-up', 'engine http'],
      ['engine sleep-op speed-up', 'engine sleep'],
    ].map(([label, prefix]) => ({ label, display: formatRatio(speedup(prefix)), bar: `≥ ${BAR}× (limit ${CONCURRENCY}×)`, pass: speedup(prefix) >= BAR }));
    return {
      title: `${OPERATIONS} operations of ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY} vs 1`,
      method: [
        `The same batch of ${OPERATIONS} operations run by one engine at concurrency 1 and at concurrency ${CONCURRENCY}; speed-up = median wall time at 1 / median wall time at ${CONCURRENCY} (the ideal is ${CONCURRENCY}×).`,
        `\`http.request\`: the built-in type (global \`fetch\`) against an \`http.createServer\` on 127.0.0.1 that answers after ${LATENCY_MS} ms; the server runs in a child process, so its own work is not on the measured event loop. It counts the requests of every sample (all ${OPERATIONS} must arrive) and their peak in flight. \`sleep\`: a registered type waiting ${LATENCY_MS} ms on a timer.`,
        'The hand-rolled loops run the same work without the engine: what this machine and this HTTP client allow. "engine-reported" is the engine\'s own sum of operation times / wall time for its last concurrency-' +
          `${CONCURRENCY} sample. Alternating harness, ${rounds} rounds after a warm-up of the concurrency-${CONCURRENCY} sides.`,
      ],
      columns: ['side', 'concurrency 1', `concurrency ${CONCURRENCY}`, 'measured speed-up', 'engine-reported speed-up', 'peak in flight at server', `c${CONCURRENCY} rounds (ms)`],
      rows,
      checks,
    };
  } finally {
    await engine.close();
    await server.close();
    await dispose();
  }
}
