import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, formatRatio, median } from '../lib/stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, '../../../apps/orchestrator/bin/sparc.js');
const BAR_MS = 60_000;

/** One whole `sparc demo` as a user runs it: a new process, its wall time from spawn to exit. */
function runDemo(parent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'demo', '--dir', parent, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`sparc demo exited ${code}: ${stderr.trim() || stdout.slice(0, 500)}`));
      resolve({ ms, result: JSON.parse(stdout) });
    });
  });
}

export async function run({ quick, log }) {
  const rounds = quick ? 1 : 3;
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'sparc-bench-demo-'));
  try {
    const samples = [];
    for (let round = 0; round < rounds; round++) {
      const sample = await runDemo(parent);
      log(`demo round ${round + 1}: ${formatMs(sample.ms)}`);
      samples.push(sample);
    }
    const wall = median(samples.map((s) => s.ms));
    const last = samples[samples.length - 1].result;
    const parallel = last.stages.filter((stage) => stage.modes.length > 1);
    const overlapChecks = [];
    const rows = [['whole `sparc demo` (red run + SPARC pipeline), process to process', formatMs(wall), '', samples.map((s) => formatMs(s.ms)).join(', ')]];
    for (const stage of parallel) {
      const sum = stage.modes.reduce((total, mode) => total + mode.durationMs, 0);
      const longest = Math.max(...stage.modes.map((mode) => mode.durationMs));
      rows.push([
        `stage ${stage.name}: ${stage.modes.map((m) => `${m.name} ${formatMs(m.durationMs)}`).join(' ∥ ')}`,
        formatMs(stage.durationMs),
        `${formatRatio(stage.durationMs / sum)} of the modes' sum (longest mode ${formatMs(longest)})`,
        '',
      ]);
      // The stage can last no less than its longest mode; it overlapped fully when it lasts little more than that.
      overlapChecks.push({ label: `stage ${stage.name}: wall time / longest mode`, display: formatRatio(stage.durationMs / longest), bar: '≤ 1.10× (modes side by side, not one after another)', pass: stage.durationMs <= longest * 1.1 });
    }
    return {
      title: '`sparc demo`: the whole pipeline on the bundled example',
      method: [
        `\`node apps/orchestrator/bin/sparc.js demo --json\` spawned ${rounds} time(s), each in a new temp workspace; wall time from spawn to exit (it includes the tests-first run, every jest run, the service start and the contract probes).`,
        "Per parallel stage of the last run: the stage's wall time (first mode's start to last mode's end, measured by the pipeline) against the sum of its modes' own times. A ratio well under 1 means the modes overlapped; it cannot go under longest/sum, since a stage lasts at least as long as its longest mode.",
      ],
      columns: ['what', 'wall time', 'overlap', 'rounds'],
      rows,
      checks: [{ label: 'sparc demo wall time', display: formatMs(wall), bar: `< ${formatMs(BAR_MS)}`, pass: wall < BAR_MS }, ...overlapChecks],
    };
  } finally {
    await fs.rm(parent, { recursive: true, force: true });
  }
}
