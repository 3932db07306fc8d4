#!/usr/bin/env node
/**
 * Runs the benchmark suites and rewrites their sections of BENCHMARKS.md.
 *
 *   node tools/bench/run.mjs                 every suite
 *   node tools/bench/run.mjs noop timers     only those (other sections of BENCHMARKS.md are kept)
 *   --quick      fewer rounds, smaller inputs where that keeps the comparison meaningful; does not write
 *   --no-write   print only
 *   --check      exit 1 when a bar is not met
 *   --verbose    progress per round on stderr
 *   --no-gc      no full collection before each sample (sections are written as "<suite>-nogc"):
 *                the forced collection shrinks the young generation, which makes every sample
 *                pay page faults in proportion to what it allocates; both views are reported
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './lib/core.mjs';
import { describeEnvironment } from './lib/env.mjs';
import { printReport, readSections, renderDocument, renderSection, renderSummary } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchmarksFile = path.resolve(here, '../../BENCHMARKS.md');
const readmeFile = path.resolve(here, '../../README.md');
const README_TABLE = /(<!-- bench-summary:start -->\n)[\s\S]*?(<!-- bench-summary:end -->)/;
const SUITES = ['noop', 'timers', 'latency', 'cpu', 'commit', 'memory', 'architect', 'code', 'tdd', 'integration', 'swarm', 'mcp', 'demo'];

function parseArgs(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const known = new Set(['--quick', '--no-write', '--check', '--verbose', '--help', '--no-gc']);
  for (const flag of flags) if (!known.has(flag)) throw new Error(`unknown option ${flag}`);
  const names = argv.filter((a) => !a.startsWith('--'));
  for (const name of names) if (!SUITES.includes(name)) throw new Error(`unknown suite "${name}" (suites: ${SUITES.join(', ')})`);
  return {
    suites: names.length ? SUITES.filter((s) => names.includes(s)) : SUITES,
    quick: flags.has('--quick'),
    write: !flags.has('--no-write') && !flags.has('--quick'),
    check: flags.has('--check'),
    verbose: flags.has('--verbose'),
    help: flags.has('--help'),
    noGc: flags.has('--no-gc'),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`usage: node tools/bench/run.mjs [${SUITES.join('|')} ...] [--quick] [--no-write] [--check] [--verbose] [--no-gc]\n`);
    return 0;
  }
  if (args.noGc) process.env.BENCH_FORCE_GC = '0';
  const env = describeEnvironment();
  const core = await loadCore();
  const log = (message) => process.stderr.write(`${message}\n`);
  const progress = args.verbose ? log : () => {};
  process.stdout.write(`sparc benchmarks: ${env.date}, Node ${env.node}, nproc ${env.nproc}, ${env.cpu}\n`);

  const reports = new Map();
  const crashed = [];
  for (const name of args.suites) {
    log(`[bench] ${name}...`);
    const started = performance.now();
    const loadBefore = os.loadavg()[0];
    try {
      const suite = await import(`./suites/${name}.mjs`);
      const report = await suite.run({ core, quick: args.quick, log: progress });
      if (args.noGc) {
        report.title += ' (no forced GC before samples)';
        report.method = [...report.method.map((line) => line.replace(/,? a full GC before each sample/, '')), 'Run with `--no-gc`: no full collection before samples, so the heap keeps its size between samples.'];
      }
      const seconds = (performance.now() - started) / 1000;
      reports.set(name, { report, run: { seconds, loadBefore, loadAfter: os.loadavg()[0] } });
      printReport(name, report);
    } catch (error) {
      crashed.push(name);
      process.stderr.write(`[bench] ${name} failed: ${error.stack ?? error}\n`);
    }
    log(`[bench] ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  if (args.write && reports.size > 0) {
    const sections = readSections(benchmarksFile);
    const sectionName = (name) => (args.noGc ? `${name}-nogc` : name);
    for (const [name, { report, run }] of reports) sections.set(sectionName(name), { text: renderSection(sectionName(name), report, env, run), meta: { ...env, checks: report.checks } });
    const suiteOrder = SUITES.flatMap((name) => [name, `${name}-nogc`]);
    fs.writeFileSync(benchmarksFile, renderDocument({ env, suiteOrder, sections, ranNow: [...reports.keys()].map(sectionName) }));
    log(`[bench] wrote ${path.relative(process.cwd(), benchmarksFile) || benchmarksFile}`);
    // The README quotes the same table, so its claims are always numbers from BENCHMARKS.md.
    const readme = fs.existsSync(readmeFile) ? fs.readFileSync(readmeFile, 'utf8') : '';
    if (README_TABLE.test(readme)) {
      const table = renderSummary(suiteOrder, readSections(benchmarksFile));
      fs.writeFileSync(readmeFile, readme.replace(README_TABLE, (_m, start, end) => `${start}${table}\n${end}`));
      log('[bench] updated the table in README.md');
    }
  }

  const failedChecks = [...reports.values()].flatMap(({ report }) => report.checks.filter((c) => !c.pass));
  if (crashed.length) return 2;
  if (args.check && failedChecks.length) return 1;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
