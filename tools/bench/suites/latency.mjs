import http from 'node:http';
import { setTimeout } from 'node:timers';
import { assertBatchSucceeded, need, registryWith, tempWorkspace, zodOf } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { runWithLoop } from '../lib/peers.mjs';
import { formatMs, formatRatio, formatSpread } from '../lib/stats.mjs';

const OPERATIONS = 60;
const LATENCY_MS = 50;
const CONCURRENCY = 6;
const BAR = 5.7;

/** A local server that answers every request after LATENCY_MS and counts what it saw. */
async function startSlowServer() {
  const stats = { requests: 0, inFlight: 0, peakInFlight: 0 };
  const server = http.createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    req.resume();
    setTimeout(() => {
      stats.inFlight--;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }, LATENCY_MS);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
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

  const httpBatch = {
    label: 'bench-latency-http',
    operations: Array.from({ length: OPERATIONS }, (_, i) => ({
      id: `get${i}`,
      type: 'http.request',
      params: { method: 'GET', url: `${server.url}/item/${i}` },
    })),
  };
  const sleepBatch = {
    label: 'bench-latency-sleep',
    operations: Array.from({ length: OPERATIONS }, (_, i) => ({ id: `sleep${i}`, type: 'sleep', params: { ms: LATENCY_MS } })),
  };
  const loopTasks = Array.from({ length: OPERATIONS }, () => async () => {
    await sleep(LATENCY_MS);
    sleeps++;
  });

  const lastMetrics = {};
  const peakAtServer = {};
  const engineSide = (kind, batch, concurrency) => {
    const name = `engine ${kind} c${concurrency}`;
    let requestsBefore = 0;
    let result;
    return {
      name,
      skipWarmup: concurrency === 1,
      before: () => {
        requestsBefore = server.stats.requests;
        server.stats.peakInFlight = 0;
        sleeps = 0;
      },
      run: async () => {
        result = await engine.run(batch, { concurrency });
      },
      after: () => {
        assertBatchSucceeded(result, OPERATIONS, name);
        const seen = kind === 'http' ? server.stats.requests - requestsBefore : sleeps;
        if (seen !== OPERATIONS) throw new Error(`${name}: ${seen} of ${OPERATIONS} operations reached their target`);
        lastMetrics[name] = result.metrics;
        if (kind === 'http') peakAtServer[name] = server.stats.peakInFlight;
      },
    };
  };
  const loopSide = (concurrency) => ({
    name: `hand-rolled loop sleep c${concurrency}`,
    skipWarmup: concurrency === 1,
    before: () => void (sleeps = 0),
    run: () => runWithLoop(loopTasks, concurrency),
    after: () => {
      if (sleeps !== OPERATIONS) throw new Error(`hand-rolled loop: ${sleeps} of ${OPERATIONS} sleeps`);
    },
  });

  const sides = [
    engineSide('http', httpBatch, CONCURRENCY),
    engineSide('http', httpBatch, 1),
    engineSide('sleep', sleepBatch, CONCURRENCY),
    engineSide('sleep', sleepBatch, 1),
    loopSide(CONCURRENCY),
    loopSide(1),
  ];
  const rounds = quick ? 1 : 3;
  try {
    const measured = await alternate(sides, { rounds, warmupRounds: 1, log });
    const speedup = (prefix) => measured[`${prefix} c1`].median / measured[`${prefix} c${CONCURRENCY}`].median;
    const row = (label, prefix, engineName) => [
      label,
      formatMs(measured[`${prefix} c1`].median),
      formatMs(measured[`${prefix} c${CONCURRENCY}`].median),
      formatRatio(speedup(prefix)),
      engineName ? formatRatio(lastMetrics[engineName].speedup) : 'n/a',
      engineName ? String(lastMetrics[engineName].peakInFlight) : 'n/a',
      formatSpread(measured[`${prefix} c${CONCURRENCY}`].samples),
    ];
    const rows = [
      row('engine, `http.request` to a local server', 'engine http', `engine http c${CONCURRENCY}`),
      row('engine, custom `sleep` op', 'engine sleep', `engine sleep c${CONCURRENCY}`),
      row('hand-rolled loop, sleep (reference)', 'hand-rolled loop sleep', undefined),
    ];
    const checks = [
      ['engine http.request speed-up', 'engine http'],
      ['engine sleep-op speed-up', 'engine sleep'],
    ].map(([label, prefix]) => ({ label, display: formatRatio(speedup(prefix)), bar: `≥ ${BAR}× (limit ${CONCURRENCY}×)`, pass: speedup(prefix) >= BAR }));
    return {
      title: `${OPERATIONS} operations of ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY} vs 1`,
      method: [
        `The same batch of ${OPERATIONS} operations run at concurrency 1 and at concurrency ${CONCURRENCY} by one engine; speed-up = median wall time at 1 / median wall time at ${CONCURRENCY}.`,
        `\`http.request\`: built-in operation type against an \`http.createServer\` on 127.0.0.1 that answers each request after ${LATENCY_MS} ms (the server counts requests and their peak in flight: ${Object.values(peakAtServer).join(', ')} at concurrency ${CONCURRENCY}). \`sleep\`: a registered type waiting ${LATENCY_MS} ms on a timer.`,
        `The hand-rolled loop over the same sleeps shows what this machine allows. Alternating harness, ${rounds} rounds after a warm-up; "engine-reported" is the engine's own sum-of-op-times / wall time for its last concurrency-${CONCURRENCY} run.`,
      ],
      columns: ['side', 'concurrency 1', `concurrency ${CONCURRENCY}`, 'measured speed-up', 'engine-reported speed-up', 'peak in flight', `c${CONCURRENCY} rounds (ms)`],
      rows,
      checks,
    };
  } finally {
    await engine.close();
    await server.close();
    await dispose();
  }
}
