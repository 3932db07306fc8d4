import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import waitOn from 'wait-on';
import { need, tempWorkspace } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { formatMs, formatRatio, formatSpread } from '../lib/stats.mjs';

const SERVICES = 20;
const PROBES_PER_SERVICE = 10;
/** Initialisation before a service listens, and the time each probed answer takes. */
const START_DELAY_MS = 200;
const LATENCY_MS = 20;
const CONCURRENCY = 16;
const START_CONCURRENCY = 64;
const CHECK_BAR = 3;
/** wait-on's `window` only applies to file resources; for http it polls every `interval`. */
const WAIT_ON_TUNED = { interval: 25, window: 25 };

const serviceScript = fileURLToPath(new URL('../fixtures/integration-service.mjs', import.meta.url));
const openapiFile = fileURLToPath(new URL('../fixtures/integration-openapi.json', import.meta.url));

async function loadIntegration() {
  let mod;
  try {
    mod = await import('@sparc/integration');
  } catch (error) {
    throw new Error(`cannot load @sparc/integration (build packages/sparc-integration first): ${error.message}`);
  }
  return mod.default ?? mod;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function serviceEnv(index, port, pidDir) {
  return { PORT: String(port), NAME: `svc${index}`, START_DELAY_MS: String(START_DELAY_MS), LATENCY_MS: String(LATENCY_MS), PID_FILE: path.join(pidDir, `svc${index}.pid`) };
}

/** Pids the services wrote; throws if any is still alive, then forgets them for the next sample. */
async function expectAllStopped(core, pidDir, what) {
  const isProcessLive = need(core, 'isProcessLive');
  const names = await fs.readdir(pidDir);
  const pids = await Promise.all(names.map(async (n) => Number(await fs.readFile(path.join(pidDir, n), 'utf8'))));
  const alive = pids.filter((pid) => isProcessLive(pid));
  if (alive.length > 0) throw new Error(`${what}: ${alive.length} service process(es) still alive after the sample: ${alive.join(', ')}`);
  await Promise.all(names.map((n) => fs.rm(path.join(pidDir, n))));
  return pids.length;
}

export async function run({ core, quick, log }) {
  const integration = await loadIntegration();
  const { integrationMode, waitUntilHealthy, waitForResources } = integration;
  const runMode = need(core, 'runMode');
  const BatchEngine = need(core, 'BatchEngine');
  const { dir, workspace, dispose } = await tempWorkspace(core, 'integration');
  const engine = new BatchEngine({ workspace });
  const pidDir = path.join(dir, 'pids');
  await fs.mkdir(pidDir);
  await fs.copyFile(openapiFile, path.join(dir, 'openapi.json'));

  const ports = [];
  for (let i = 0; i < SERVICES; i++) ports.push(await freePort());
  const healthUrls = ports.map((port) => `http://127.0.0.1:${port}/health`);
  const manifest = {
    services: ports.map((port, i) => ({
      name: `svc${i}`,
      start: `"${process.execPath}" "${serviceScript}"`,
      env: serviceEnv(i, port, pidDir),
      url: `http://127.0.0.1:${port}`,
      health: '/health',
      readinessTimeoutMs: 60_000,
      openapi: 'openapi.json',
      probes: Array.from({ length: PROBES_PER_SERVICE }, (_, p) => ({ method: 'GET', path: `/items/${p}`, expectStatus: 200 })),
    })),
  };
  await fs.writeFile(path.join(dir, 'services.json'), JSON.stringify(manifest, null, 2));

  const context = () => ({
    runId: core.newRunId(),
    workspace,
    engine,
    pool: () => engine.pool(),
    signal: new globalThis.AbortController().signal,
    progress: () => {},
    artifacts: core.createArtifactWriter(workspace, 'bench', 'integration'),
    upstream: {},
  });

  const probesTotal = SERVICES * PROBES_PER_SERVICE;
  const checkSide = (name, concurrency, startConcurrency) => {
    let result;
    return {
      name,
      skipWarmup: concurrency === 1,
      run: async () => {
        result = await runMode(integrationMode, context(), { services: 'services.json', concurrency, startConcurrency }, { command: 'check' });
      },
      after: async () => {
        const data = result.data;
        const problems = result.findings.filter((f) => f.severity !== 'info');
        if (result.status !== 'passed' || problems.length > 0) throw new Error(`${name}: check ${result.status}: ${problems.map((f) => f.message).join('; ') || result.summary}`);
        if (data.services.filter((s) => s.healthy).length !== SERVICES) throw new Error(`${name}: not every service was healthy`);
        if (data.probes.length !== probesTotal || data.probes.some((p) => !p.ok || p.status !== 200)) throw new Error(`${name}: not all ${probesTotal} probes passed`);
        const stopped = await expectAllStopped(core, pidDir, name);
        if (stopped !== SERVICES) throw new Error(`${name}: ${stopped} of ${SERVICES} services recorded a pid`);
      },
    };
  };

  /** Readiness sides: the same 20 spawns, then only the way of waiting differs. */
  let children = [];
  const spawnServices = () => {
    children = ports.map((port, i) =>
      spawn(process.execPath, [serviceScript], { env: { ...process.env, ...serviceEnv(i, port, pidDir) }, detached: true, stdio: 'ignore' }),
    );
  };
  const stopServices = async (name) => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          await exited;
        }
      }),
    );
    children = [];
    // Give the kernel a moment to release the ports before the next sample listens on them.
    await sleep(20);
    const stopped = await expectAllStopped(core, pidDir, name);
    if (stopped !== SERVICES) throw new Error(`${name}: only ${stopped} of ${SERVICES} services got to listen`);
  };
  const readinessSide = (name, waitAll) => ({
    name,
    run: async () => {
      spawnServices();
      await waitAll();
    },
    after: async () => {
      // Ready means answering: confirm each health URL really answers before tearing down.
      for (const url of healthUrls) if ((await globalThis.fetch(url)).status !== 200) throw new Error(`${name}: ${url} is not healthy after the wait`);
      await stopServices(name);
    },
  });
  const signal = new globalThis.AbortController().signal;
  // Every readiness wait of a sample listens on this one signal.
  setMaxListeners(0, signal);
  const readinessSides = [
    readinessSide('sparc check readiness (backoff 25 → 100 ms)', async () => {
      const started = performance.now();
      const outcomes = await Promise.all(healthUrls.map((url) => waitUntilHealthy({ url, timeoutMs: 60_000, since: started, signal })));
      const failed = outcomes.filter((o) => !o.healthy);
      if (failed.length > 0) throw new Error(`sparc readiness: ${failed[0].message}`);
    }),
    readinessSide(`sparc wait, interval ${WAIT_ON_TUNED.interval} ms`, async () => {
      const results = await waitForResources(healthUrls, { workspace, signal, intervalMs: WAIT_ON_TUNED.interval, timeoutMs: 60_000, attemptTimeoutMs: 2000 });
      if (results.some((r) => !r.ready)) throw new Error(`sparc wait: ${results.find((r) => !r.ready).error}`);
    }),
    readinessSide(`wait-on, interval ${WAIT_ON_TUNED.interval} ms`, () => waitOn({ resources: healthUrls, timeout: 60_000, ...WAIT_ON_TUNED })),
    readinessSide('wait-on defaults (interval 250 ms)', () => waitOn({ resources: healthUrls, timeout: 60_000 })),
  ];

  const checkSides = [
    checkSide(`sparc integration check, defaults (probes ${CONCURRENCY} at a time, services ${START_CONCURRENCY})`, CONCURRENCY, START_CONCURRENCY),
    checkSide('sparc integration check, sequential (one service, one probe at a time)', 1, 1),
  ];
  const rounds = quick ? 1 : 5;
  try {
    log('  check: concurrent vs sequential');
    const checks = await alternate(checkSides, { rounds, warmupRounds: 1, log });
    log('  readiness: sparc vs wait-on');
    const readiness = await alternate(readinessSides, { rounds: quick ? 2 : 7, warmupRounds: 1, log });

    const concurrentMs = checks[checkSides[0].name].median;
    const sequentialMs = checks[checkSides[1].name].median;
    const speedup = sequentialMs / concurrentMs;
    const sparcReadyMs = readiness[readinessSides[0].name].median;
    const vsTuned = readiness[readinessSides[2].name].median / sparcReadyMs;
    const vsDefaults = readiness[readinessSides[3].name].median / sparcReadyMs;
    const rows = [
      ...checkSides.map(({ name }) => [name, formatMs(checks[name].median), name === checkSides[0].name ? formatRatio(speedup) : '1.00×', formatSpread(checks[name].samples)]),
      ...readinessSides.map(({ name }) => [`readiness only: ${name}`, formatMs(readiness[name].median), formatRatio(readiness[name].median / sparcReadyMs), formatSpread(readiness[name].samples)]),
    ];
    return {
      title: `Health and contract checks of ${SERVICES} local services × ${PROBES_PER_SERVICE} probes; readiness against wait-on`,
      method: [
        `${SERVICES} node HTTP services (\`fixtures/integration-service.mjs\`), each initialising for ${START_DELAY_MS} ms before it listens and answering each probe after ${LATENCY_MS} ms; one OpenAPI 3.0 contract (\`fixtures/integration-openapi.json\`, $refs, a nullable field, formats) for all.`,
        `Check sides: \`runMode(integrationMode, …, { command: "check" })\` from a manifest: start every service through its start command (own process group), wait until healthy, send ${probesTotal} probes as \`http.request\` operations of the engine, validate status, content type and body schema of each answer, check the environment, stop every service and write the reports. The defaults (${CONCURRENCY} probes in flight; up to ${START_CONCURRENCY} services started and waited for at once) against concurrency 1 for both (services started and probes sent one after the other). Every sample must report all services healthy and all ${probesTotal} probes passing, and every service pid must be gone afterwards (untimed).`,
        `Readiness sides: the same ${SERVICES} spawns, timed from the first spawn until every health URL answers 200, waited for by sparc's readiness (the check's \`waitUntilHealthy\`: pauses growing from 25 ms by half each attempt, up to 100 ms), by \`sparc integration wait\` (\`waitForResources\`) and by wait-on 9 (HEAD requests through axios) with the same 25 ms interval and with its default 250 ms (its 750 ms stability window applies to files only). Each health URL is confirmed to answer after each sample; then the services are killed (untimed).`,
        `Ratios: check, sequential median / concurrent median; readiness, side median / sparc readiness median (above 1×: sparc is faster). Alternating harness, ${rounds} rounds of the check sides and ${quick ? 2 : 7} of the readiness sides after a warm-up round.`,
      ],
      columns: ['side', 'median wall time', 'ratio', 'rounds (ms)'],
      rows,
      checks: [
        { label: 'check: concurrent speed-up over sequential', display: formatRatio(speedup), bar: `≥ ${CHECK_BAR}×`, pass: speedup >= CHECK_BAR },
        { label: 'readiness: wait-on defaults / sparc', display: formatRatio(vsDefaults), bar: '≥ 1× (sparc no slower)', pass: vsDefaults >= 1 },
        { label: `readiness: wait-on at ${WAIT_ON_TUNED.interval} ms / sparc`, display: formatRatio(vsTuned), bar: '≥ 0.9× (within 10%)', pass: vsTuned >= 0.9 },
      ],
    };
  } finally {
    if (children.length > 0) await stopServices('cleanup').catch(() => undefined);
    await engine.close();
    await dispose();
  }
}
