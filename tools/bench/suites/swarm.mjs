import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { need, removeDir, tempWorkspace } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { formatMicros, formatMs, formatRatio, formatSpread, median } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const WORKER_COUNTS = [1, 2, 4];
/** Agents per worker process on short tasks (each runs one task at a time). */
const SHORT_AGENTS = 4;
const TARGET_CPU_MS = 20;
/** A bar for the lead to confirm on a quiet machine: two worker processes on two cores. */
const CPU_SCALING_BAR = 1.6;

const hashFixture = fileURLToPath(new URL('../fixtures/hash-chain.cjs', import.meta.url));
const { hashChain } = require(hashFixture);

async function loadSwarm() {
  try {
    const mod = await import('@sparc/swarm');
    return mod.default ?? mod;
  } catch (error) {
    throw new Error(`cannot load @sparc/swarm (run "npm run build" first): ${error.message}`);
  }
}

function workerEntry() {
  return path.join(path.dirname(require.resolve('@sparc/swarm/package.json')), 'dist', 'workers', 'swarm-worker.js');
}

/** Starts `count` worker processes under a key prefix of their own and resolves once each says it is ready. */
async function startWorkers(count, { url, dir, agents, types, prefix }) {
  const entry = workerEntry();
  return Promise.all(
    Array.from({ length: count }, () => {
      const args = [entry, '--redis', url, '--dir', dir, '--agents', String(agents), '--types', types, '--prefix', prefix, '--quiet'];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      return new Promise((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          output += chunk;
          if (/^ready /m.test(output)) resolve(child);
        });
        child.stderr.on('data', (chunk) => (output += chunk));
        child.once('exit', (code) => reject(new Error(`swarm worker exited with ${code}: ${output}`)));
      });
    }),
  );
}

async function stopWorkers(children) {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.removeAllListeners('exit');
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
}

function assertReport(report, tasks, what) {
  const notOk = report.tasks.filter((t) => t.status !== 'succeeded');
  if (report.status !== 'succeeded' || report.tasks.length !== tasks || notOk.length > 0) {
    throw new Error(`${what}: run ${report.status}, ${report.tasks.length}/${tasks} tasks, ${notOk.length} not succeeded${notOk[0] ? ` (first: ${notOk[0].id} ${notOk[0].error?.code} ${notOk[0].error?.message})` : ''}`);
  }
}

/** Rounds of the hash chain that take about TARGET_CPU_MS on this machine's main thread. */
function calibrate() {
  const per = (rounds, n) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) hashChain({ seed: `calibrate-${i}`, rounds });
    return (performance.now() - start) / n;
  };
  let rounds = 2000;
  per(rounds, 10);
  for (let pass = 0; pass < 3; pass++) rounds = Math.max(1, Math.round((rounds * TARGET_CPU_MS) / median([per(rounds, 3), per(rounds, 3), per(rounds, 3)])));
  return rounds;
}

export async function run({ core, quick, log }) {
  const swarm = await loadSwarm();
  const BatchEngine = need(core, 'BatchEngine');
  const shortTasks = quick ? 300 : 2000;
  const cpuTasks = quick ? 24 : 96;
  const rounds = quick ? 1 : 3;
  const redis = await swarm.startRedisServer();
  const { dir, workspace, dispose } = await tempWorkspace(core, 'swarm');
  await fs.copyFile(hashFixture, path.join(dir, 'hash-chain.cjs'));
  const engine = new BatchEngine({ workspace, monitor: false });
  const running = [];
  try {
    // --- short tasks: one tiny file write each --------------------------------------------------
    let sample = 0;
    let prefix = '';
    const shortPlan = () => ({
      topology: 'mesh',
      agents: [{ type: 'bench', count: SHORT_AGENTS }],
      tasks: Array.from({ length: shortTasks }, (_, i) => ({ id: `t${i}`, capability: 'bench', operation: { type: 'file.write', params: { path: `${prefix}/f${i}.txt`, content: `task ${i}\n` } } })),
    });
    const checkFiles = async (what) => {
      const files = await fs.readdir(path.join(dir, prefix));
      if (files.length !== shortTasks) throw new Error(`${what}: ${files.length}/${shortTasks} files written`);
      await removeDir(path.join(dir, prefix));
    };
    const shortSide = (name, runIt) => ({
      name,
      before: () => {
        prefix = `s${sample++}`;
      },
      run: runIt,
      after: () => checkFiles(name),
    });
    const shortSides = [
      shortSide(`engine alone (one batch, concurrency ${SHORT_AGENTS})`, async () => {
        const plan = shortPlan();
        const result = await engine.run({ concurrency: SHORT_AGENTS, operations: plan.tasks.map((t) => ({ id: t.id, ...t.operation })) }, { record: false });
        if (result.status !== 'succeeded') throw new Error(`engine batch ${result.status}`);
      }),
      shortSide(`local swarm, ${SHORT_AGENTS} agents`, async () => {
        const report = await swarm.runSwarm(shortPlan(), { dir, persist: false, recordMetrics: false });
        assertReport(report, shortTasks, 'local swarm');
      }),
    ];
    for (const count of WORKER_COUNTS) {
      const name = `bullmq, ${count} worker process${count > 1 ? 'es' : ''} × ${SHORT_AGENTS} agents`;
      shortSides.push(
        shortSide(name, async () => {
          const report = await swarm.runSwarm(shortPlan(), { backend: 'bullmq', redis: redis.url, dir, prefix: `short${count}`, tickMs: 200 });
          assertReport(report, shortTasks, name);
        }),
      );
      // Each set of workers listens under its own key prefix, so a run reaches exactly that many processes.
      running.push(...(await startWorkers(count, { url: redis.url, dir, agents: SHORT_AGENTS, types: 'bench', prefix: `short${count}` })));
    }

    log(`  short tasks: ${shortTasks} per run`);
    const short = await alternate(shortSides, { rounds, warmupRounds: 1, log });
    const engineMs = short[shortSides[0].name].median;

    // --- CPU-bound tasks: a hash chain of ~20 ms each, in each worker's thread pool ----------------
    const cpuRounds = calibrate();
    const cpuPlan = () => ({
      topology: 'mesh',
      agents: [{ type: 'cpu' }],
      tasks: Array.from({ length: cpuTasks }, (_, i) => ({ id: `c${i}`, capability: 'cpu', operation: { type: 'cpu', params: { module: './hash-chain.cjs', export: 'hashChain', payload: { seed: `c${i}`, rounds: cpuRounds } } } })),
    });
    const cpuSides = [];
    for (const count of WORKER_COUNTS) {
      const name = `bullmq, ${count} worker process${count > 1 ? 'es' : ''} × 1 agent`;
      running.push(...(await startWorkers(count, { url: redis.url, dir, agents: 1, types: 'cpu', prefix: `cpu${count}` })));
      cpuSides.push({
        name,
        run: async () => {
          const report = await swarm.runSwarm(cpuPlan(), { backend: 'bullmq', redis: redis.url, dir, prefix: `cpu${count}`, tickMs: 200 });
          assertReport(report, cpuTasks, name);
        },
      });
    }
    for (const count of WORKER_COUNTS) {
      const name = `local swarm, ${count} agent${count > 1 ? 's' : ''}`;
      cpuSides.push({
        name,
        run: async () => {
          const plan = cpuPlan();
          plan.agents = [{ type: 'cpu', count }];
          const report = await swarm.runSwarm(plan, { dir, persist: false, recordMetrics: false, engine });
          assertReport(report, cpuTasks, name);
        },
      });
    }
    log(`  CPU-bound tasks: ${cpuTasks} per run, ~${TARGET_CPU_MS} ms each (${cpuRounds} hash rounds)`);
    const cpu = await alternate(cpuSides, { rounds, warmupRounds: 1, log });

    // --- report ------------------------------------------------------------------------------------
    const rows = [];
    for (const side of shortSides) {
      const ms = short[side.name].median;
      const overhead = side === shortSides[0] ? '—' : formatMicros(((ms - engineMs) / shortTasks) * 1000);
      rows.push([`short: ${side.name}`, formatMs(ms), `${Math.round((shortTasks / ms) * 1000).toLocaleString('en-US')}`, formatMicros((ms / shortTasks) * 1000), overhead, formatSpread(short[side.name].samples)]);
    }
    const cpuTps = (name) => (cpuTasks / cpu[name].median) * 1000;
    for (const side of cpuSides) {
      const base = side.name.startsWith('bullmq') ? cpuSides[0].name : cpuSides[WORKER_COUNTS.length].name;
      rows.push([`CPU: ${side.name}`, formatMs(cpu[side.name].median), cpuTps(side.name).toFixed(1), formatMicros((cpu[side.name].median / cpuTasks) * 1000), `${formatRatio(cpuTps(side.name) / cpuTps(base))} of 1`, formatSpread(cpu[side.name].samples)]);
    }
    const scaling2 = cpuTps(cpuSides[1].name) / cpuTps(cpuSides[0].name);
    const localName = shortSides[1].name;
    const localOverheadUs = ((short[localName].median - engineMs) / shortTasks) * 1000;
    const bullOneName = shortSides[2].name;
    return {
      title: 'Swarm: tasks per second and per-task overhead, local and bullmq',
      method: [
        `Short tasks: ${shortTasks} independent tasks per run, each one \`file.write\` of a 10-byte file (real writes into a temp workspace, checked and removed after every sample). Mesh topology.`,
        `"engine alone" runs the same operations as one batch at concurrency ${SHORT_AGENTS} on the batch engine; the local swarm runs them as ${SHORT_AGENTS} in-process agents (one engine run per task, results persisted off); bullmq runs them on 1, 2 and 4 \`swarm-worker\` processes of ${SHORT_AGENTS} agents each, already started, against a private redis-server on this machine, each set under its own key prefix.`,
        'Time per sample: from the call to the report (validation, queueing, every result back, the report stored). Overhead per task = (side − engine alone) / tasks.',
        `CPU-bound: ${cpuTasks} tasks of a ~${TARGET_CPU_MS} ms hash chain (calibrated on this machine) run as \`cpu\` operations in each worker's thread pool; workers have one agent, so a process runs one task at a time. Scaling = throughput / throughput of one worker (or one local agent). Machine: ${os.availableParallelism()} cores, shared.`,
        `Alternating harness, ${rounds} round(s) after a warm-up round; medians.`,
      ],
      columns: ['side', 'median time', 'tasks/s', 'time per task', 'overhead per task vs engine / scaling', 'rounds (ms)'],
      rows,
      checks: [
        { label: 'bullmq, CPU-bound: 2 worker processes vs 1', display: formatRatio(scaling2), bar: `≥ ${CPU_SCALING_BAR}× (2 cores)`, pass: scaling2 >= CPU_SCALING_BAR },
        { label: 'local swarm: overhead per short task over the engine', display: formatMicros(localOverheadUs), bar: '≤ 1 ms', pass: localOverheadUs <= 1000 },
        {
          label: 'bullmq, 1 worker: short tasks per second',
          display: `${Math.round((shortTasks / short[bullOneName].median) * 1000)}/s`,
          bar: '≥ 200/s',
          pass: (shortTasks / short[bullOneName].median) * 1000 >= 200,
        },
      ],
      notes: [`Every run's report was checked: every task succeeded, exactly once; short-task files were counted on disk after each sample.`],
    };
  } finally {
    await stopWorkers(running);
    await engine.close();
    await redis.stop();
    await dispose();
  }
}
