/**
 * Architect: import graph + cycles, whole process to whole process, against madge,
 * dependency-cruiser and dpdm (and oxlint's import/no-cycle beside them) on real packages from
 * npm and synthetic monorepos; agreement of strongly connected components; the incremental
 * re-run; the cost curve; peak memory; and the parser choice.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, removeDir } from '../lib/core.mjs';
import { installCorpus, measureCorpus, REAL_CORPORA, writeSyntheticRepo } from '../lib/architect-corpus.mjs';
import { listFiles, loadParsers, measureParsers } from '../lib/architect-parsers.mjs';
import { BINS, compareSccs, depcruiseEdges, dpdmEdges, madgeEdges, runProcess, sccsOf, sparcEdges, versionOf, writeDepcruiseConfig } from '../lib/architect-peers.mjs';
import { formatMiB, formatMs, formatRatio, median, min } from '../lib/stats.mjs';

const SPEED_BAR = 10;
const INCREMENTAL_BAR = 0.25;
const MEMORY_BAR = 2;
const LINEAR_SLACK = 1.15;

/**
 * dpdm walks imports recursively and overflows V8's default stack (~1 MB) on effect now and then
 * ("Maximum call stack size exceeded", about one run in three here); 4 MB, still well inside the
 * 8 MB thread stack, lets it finish every time. It does not change its speed.
 */
const DPDM_NODE_ARGS = ['--stack-size=4000'];
const TS_EXT = ['.ts', '.tsx', '.mts', '.cts'];
const JS_EXT = ['.js', '.jsx', '.mjs', '.cjs'];

/** The tools, as whole processes on one corpus. Each returns its measured run and an output reader. */
function sides(corpus, out) {
  const tsconfig = corpus.tsconfig ? 'tsconfig.json' : undefined;
  const exts = corpus.language === 'ts' ? 'ts' : 'js';
  const globs = corpus.folders.map((f) => `${f}/**/*.${exts}`);
  const ours = (bin, name, typeEdges, workspaces) => ({
    name,
    ours: true,
    typeEdges,
    run: async () => {
      await removeDir(path.join(corpus.root, '.sparc'));
      const args = [...corpus.folders, '--dir', corpus.root, '--json', '--no-cache', '--format', 'json', '--type-edges', typeEdges, ...(workspaces ? [] : ['--no-workspaces']), ...(tsconfig ? ['--tsconfig', tsconfig] : [])];
      const run = await runProcess(bin, bin === BINS.sparc ? ['architect', ...args] : args, { cwd: corpus.root, okCodes: [0, 1] });
      const json = JSON.parse(run.stdout);
      const graph = sparcEdges(path.join(corpus.root, json.artifacts.find((a) => a.endsWith('graph.json'))), typeEdges === 'include');
      return { ...run, json, sccs: json.cycles, modules: json.modules, edges: graph.edges.length };
    },
  });
  const dpdm = (typeEdges) => ({
    name: `dpdm${typeEdges === 'exclude' ? ' -T' : ''}`,
    typeEdges,
    run: async () => {
      const file = path.join(out, `dpdm-${corpus.name}-${typeEdges}.json`);
      const run = await runProcess(BINS.dpdm, ['--no-tree', '--no-warning', '--no-progress', ...(typeEdges === 'exclude' ? ['-T'] : []), ...(tsconfig ? ['--tsconfig', tsconfig] : []), '-o', file, ...globs], { cwd: corpus.root, nodeArgs: DPDM_NODE_ARGS });
      const { edges, modules } = dpdmEdges(file);
      return { ...run, sccs: sccsOf(edges), modules, edges: edges.length };
    },
  });
  const depcruise = (typeEdges) => ({
    name: `dependency-cruiser${typeEdges === 'include' ? ' (pre-compilation deps)' : ''}`,
    typeEdges,
    run: async () => {
      const config = path.join(out, `depcruise-${corpus.name}-${typeEdges}.json`);
      writeDepcruiseConfig(config, { tsconfig, typeEdges });
      const file = path.join(out, `depcruise-${corpus.name}-${typeEdges}.out.json`);
      const run = await runProcess(BINS.depcruise, ['--config', config, '--output-type', 'json', '--output-to', file, '--progress', 'none', ...corpus.folders], { cwd: corpus.root });
      const { edges, modules } = depcruiseEdges(file);
      return { ...run, sccs: sccsOf(edges), modules, edges: edges.length };
    },
  });
  const madge = (typeEdges) => ({
    name: `madge${typeEdges === 'exclude' ? ' (skipTypeImports)' : ''}`,
    typeEdges,
    run: async () => {
      const rc = { fileExtensions: [exts], ...(tsconfig ? { tsConfig: tsconfig } : {}), detectiveOptions: { ts: { skipTypeImports: typeEdges === 'exclude' }, es6: { skipTypeImports: typeEdges === 'exclude' } } };
      // madge reads its options from .madgerc in the working folder (it has no --config flag).
      await fs.writeFile(path.join(corpus.root, '.madgerc'), JSON.stringify(rc));
      const run = await runProcess(BINS.madge, ['--json', '--no-spinner', ...corpus.folders], { cwd: corpus.root });
      // madge prints paths relative to the common folder of what it was given.
      const prefix = corpus.folders.length === 1 ? corpus.folders[0] : '';
      const { edges, modules } = madgeEdges(run.stdout, prefix);
      return { ...run, sccs: sccsOf(edges), modules, edges: edges.length };
    },
  });
  const oxlint = {
    name: 'oxlint import/no-cycle',
    typeEdges: 'include',
    native: true,
    run: async () => {
      const run = await runProcess(BINS.oxlint, ['--import-plugin', '-A', 'all', '-D', 'import/no-cycle', ...(tsconfig ? ['--tsconfig', tsconfig] : []), ...corpus.folders], { cwd: corpus.root, okCodes: [0, 1] });
      const diagnostics = Number(/Found \d+ warnings? and (\d+) errors?/.exec(run.stdout)?.[1] ?? NaN);
      return { ...run, diagnostics };
    },
  };
  return { ours, dpdm, depcruise, madge, oxlint };
}

/** Runs every side `rounds` times, rotating the order, and keeps every run. */
async function alternateRuns(list, rounds, log, failures) {
  const runs = new Map(list.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    const shift = round % list.length;
    for (const side of [...list.slice(shift), ...list.slice(0, shift)]) {
      try {
        const run = await side.run();
        runs.get(side.name).push(run);
        log(`    ${side.name}: ${formatMs(run.ms)}${run.peakBytes ? `, ${formatMiB(run.peakBytes)}` : ''}`);
      } catch (error) {
        // A peer that crashes is reported as such; ours crashing fails the suite.
        if (side.ours || !failures) throw error;
        failures.push(`${side.name}: ${error.message}`);
        log(`    ${side.name}: FAILED ${error.message}`);
      }
    }
  }
  return runs;
}

function describeDiff(diff) {
  const show = (list) => list.slice(0, 2).map((c) => `{${c.length} modules: ${c.slice(0, 3).join(', ')}${c.length > 3 ? ', …' : ''}}`).join(' ');
  return `only ours: ${diff.onlyOurs.length} ${show(diff.onlyOurs)}; only theirs: ${diff.onlyTheirs.length} ${show(diff.onlyTheirs)}`;
}

async function touch(file) {
  const later = new Date(Date.now() + 2000);
  await fs.utimes(file, later, later);
}

/** Cold (no cache), unchanged, one file touched (same content), one file edited: whole process, and the mode's own time. */
async function incremental(corpus, probeFile, rounds, log) {
  const args = [...corpus.folders, '--dir', corpus.root, '--json', '--format', 'json', ...(corpus.tsconfig ? ['--tsconfig', 'tsconfig.json'] : [])];
  const runOnce = async () => {
    const run = await runProcess(BINS.sparcArchitect, args, { cwd: corpus.root, okCodes: [0, 1] });
    const json = JSON.parse(run.stdout);
    return { ms: run.ms, inProcess: json.durationMs, parsed: json.stats.parsed, cached: json.stats.cached };
  };
  const results = { cold: [], unchanged: [], touched: [], edited: [] };
  const original = await fs.readFile(probeFile, 'utf8');
  try {
    for (let round = 0; round < rounds; round++) {
      await removeDir(path.join(corpus.root, '.sparc'));
      results.cold.push(await runOnce());
      // A second unchanged run settles entries written within the racy window of the first.
      await runOnce();
      results.unchanged.push(await runOnce());
      await touch(probeFile);
      results.touched.push(await runOnce());
      await fs.appendFile(probeFile, `\n// edited ${round}\nexport const __benchEdit${round} = ${round};\n`);
      results.edited.push(await runOnce());
      await fs.writeFile(probeFile, original);
      log(`    incremental ${corpus.name}: cold ${formatMs(results.cold.at(-1).ms)}, unchanged ${formatMs(results.unchanged.at(-1).ms)}, touched ${formatMs(results.touched.at(-1).ms)}, edited ${formatMs(results.edited.at(-1).ms)}`);
    }
  } finally {
    await fs.writeFile(probeFile, original);
  }
  return results;
}

export async function run({ quick, log }) {
  const tmp = await makeTempDir('architect');
  const out = path.join(tmp, '.outputs');
  await fs.mkdir(out);
  const rounds = quick ? 1 : 3;
  const rows = [];
  const checks = [];
  const notes = [];
  try {
    log('  preparing corpora');
    const corpora = [];
    for (const corpus of REAL_CORPORA) {
      const root = await installCorpus(corpus, tmp, log);
      corpora.push({ ...corpus, root, ...(await measureCorpus(root, corpus.folders, corpus.language === 'ts' ? TS_EXT : JS_EXT)) });
    }
    const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 50_000];
    const synthetic = [];
    for (const size of sizes) {
      const root = path.join(tmp, `synthetic-${size}`);
      const repo = await writeSyntheticRepo(root, size);
      synthetic.push({ name: `synthetic ${size.toLocaleString('en-US')}`, size, root, folders: repo.folders, language: 'ts', tsconfig: true, ...(await measureCorpus(root, repo.folders, TS_EXT)) });
    }

    // 1. Whole process against the peers, type-only imports left out by every side, workspace mapping off.
    const compared = [...corpora, synthetic[0]];
    const agreement = [];
    for (const corpus of compared) {
      log(`  ${corpus.name}: ${corpus.files} files, ${formatMiB(corpus.bytes)}`);
      const s = sides(corpus, out);
      const timed = [s.ours(BINS.sparcArchitect, 'sparc-architect', 'exclude', false), s.ours(BINS.sparc, 'sparc architect (full CLI)', 'exclude', false), s.dpdm('exclude'), s.depcruise('exclude'), s.madge('exclude'), s.oxlint];
      const failures = [];
      const runs = await alternateRuns(timed, rounds, log, failures);
      const ran = (name) => runs.get(name).length > 0;
      const medianMs = (name) => (ran(name) ? median(runs.get(name).map((r) => r.ms)) : NaN);
      const peak = (name) => (ran(name) ? Math.max(...runs.get(name).map((r) => r.peakBytes ?? NaN)) : NaN);
      const oursMs = medianMs('sparc-architect');
      const peers = ['dpdm -T', 'dependency-cruiser', 'madge (skipTypeImports)'].filter(ran);
      const fastestPeer = peers.reduce((best, name) => (best === undefined || medianMs(name) < medianMs(best) ? name : best), undefined);
      for (const side of timed) {
        if (!ran(side.name)) {
          rows.push([corpus.name, side.name, 'failed', '', '', failures.filter((f) => f.startsWith(side.name)).join('; ')]);
          continue;
        }
        const r = runs.get(side.name)[0];
        rows.push([
          corpus.name,
          side.name,
          formatMs(medianMs(side.name)),
          side.ours ? '1.00×' : formatRatio(medianMs(side.name) / oursMs),
          Number.isFinite(peak(side.name)) ? formatMiB(peak(side.name)) : 'n/a',
          side.native ? `${r.diagnostics} cycle diagnostics` : `${r.modules} modules, ${r.edges} edges, ${r.sccs.length} SCCs / ${r.sccs.reduce((n, c) => n + c.length, 0)} modules`,
        ]);
      }
      if (failures.length > 0) notes.push(`${corpus.name}: ${failures.length} peer run(s) failed: ${failures.join('; ')}`);
      if (fastestPeer !== undefined) {
        checks.push({ label: `${corpus.name}: fastest peer (${fastestPeer}) / sparc-architect, whole process`, display: formatRatio(medianMs(fastestPeer) / oursMs), bar: `≥ ${SPEED_BAR}×`, pass: medianMs(fastestPeer) / oursMs >= SPEED_BAR });
      }
      if (ran('oxlint import/no-cycle')) {
        notes.push(`${corpus.name}: oxlint import/no-cycle (native, ${versionOf('oxlint')}) took ${formatMs(medianMs('oxlint import/no-cycle'))}; sparc-architect took ${formatRatio(oursMs / medianMs('oxlint import/no-cycle'))} its time. The full \`sparc architect\` CLI took ${formatMs(medianMs('sparc architect (full CLI)'))} (beyond the mode, it loads the CLI, the engine's public index and zod).`);
      }
      if (Number.isFinite(peak('dpdm -T')) && Number.isFinite(peak('sparc-architect'))) {
        checks.push({ label: `${corpus.name}: peak RSS sparc-architect / dpdm -T`, display: formatRatio(peak('sparc-architect') / peak('dpdm -T')), bar: `< ${MEMORY_BAR}×`, pass: peak('sparc-architect') / peak('dpdm -T') < MEMORY_BAR });
      }
      const first = (name) => (ran(name) ? runs.get(name)[0] : undefined);
      const oursExclude = first('sparc-architect');
      agreement.push({ corpus, typeEdges: 'exclude', ours: oursExclude, peers: { dpdm: first('dpdm -T'), 'dependency-cruiser': first('dependency-cruiser'), madge: first('madge (skipTypeImports)') } });

      // Type-only imports included, for agreement (TypeScript corpora only: JavaScript has none).
      if (corpus.language === 'ts') {
        const include = [s.ours(BINS.sparcArchitect, 'sparc-architect --type-edges include', 'include', false), s.dpdm('include'), s.depcruise('include')];
        const includeFailures = [];
        const included = await alternateRuns(include, 1, log, includeFailures);
        if (includeFailures.length > 0) notes.push(`${corpus.name} (type-only included): ${includeFailures.join('; ')}`);
        const one = (name) => included.get(name)[0];
        agreement.push({ corpus, typeEdges: 'include', ours: one(include[0].name), peers: { dpdm: one('dpdm'), 'dependency-cruiser': one(include[2].name) } });
      }

      // What workspace mapping (and package self-references) adds.
      const mapped = await s.ours(BINS.sparcArchitect, 'mapped', 'exclude', true).run();
      notes.push(
        `${corpus.name}: with workspace mapping on (the default) there are ${mapped.edges} run-time edges instead of ${oursExclude.edges} (${mapped.json.workspaces.edges} found through package names: workspace packages, build-output paths like \`@syn/pkg-0/lib/x\`, the package importing itself), and ${mapped.sccs.length} cycles over ${mapped.sccs.reduce((n, c) => n + c.length, 0)} modules instead of ${oursExclude.sccs.length} over ${oursExclude.sccs.reduce((n, c) => n + c.length, 0)}.`,
      );
    }

    for (const { corpus, typeEdges, ours, peers } of agreement) {
      for (const [peer, theirs] of Object.entries(peers)) {
        const checked = peer === 'dpdm' || peer === 'dependency-cruiser';
        const label = `${corpus.name}, type-only ${typeEdges === 'exclude' ? 'left out' : 'included'}: SCCs equal ${peer}'s`;
        if (theirs === undefined) {
          if (checked) checks.push({ label, display: `${peer} failed (see notes)`, bar: 'same SCC sets', pass: false });
          continue;
        }
        const diff = compareSccs(ours.sccs, theirs.sccs);
        if (checked) checks.push({ label, display: diff.equal ? `equal (${ours.sccs.length} SCCs)` : describeDiff(diff), bar: 'same SCC sets', pass: diff.equal });
        else notes.push(`${label}: ${diff.equal ? `equal (${ours.sccs.length} SCCs)` : describeDiff(diff)}`);
      }
    }

    // 2. Incremental re-runs.
    for (const corpus of [...corpora, synthetic[1]]) {
      const files = listFiles(corpus.root, corpus.folders, corpus.language === 'ts' ? TS_EXT : JS_EXT);
      const probe = files[Math.floor(files.length / 2)];
      const inc = await incremental(corpus, probe, rounds, log);
      const cold = median(inc.cold.map((r) => r.ms));
      const coldIn = median(inc.cold.map((r) => r.inProcess));
      for (const kind of ['unchanged', 'touched', 'edited']) {
        const ms = median(inc[kind].map((r) => r.ms));
        const inProcess = median(inc[kind].map((r) => r.inProcess));
        rows.push([corpus.name, `sparc-architect re-run, ${kind === 'unchanged' ? 'nothing changed' : kind === 'touched' ? 'one file touched' : 'one file edited'}`, formatMs(ms), `${formatRatio(ms / cold)} of cold`, '', `mode itself ${formatMs(inProcess)} = ${formatRatio(inProcess / coldIn)} of its cold ${formatMs(coldIn)}; parsed ${inc[kind][0].parsed}, cached ${inc[kind][0].cached}`]);
        if (kind !== 'unchanged') {
          checks.push({ label: `${corpus.name}: re-run after one file ${kind} / cold run (analysis)`, display: formatRatio(inProcess / coldIn), bar: `< ${INCREMENTAL_BAR}×`, pass: inProcess / coldIn < INCREMENTAL_BAR });
        }
      }
      notes.push(`${corpus.name} incremental, whole process: cold ${formatMs(cold)}, one file touched ${formatMs(median(inc.touched.map((r) => r.ms)))}, one file edited ${formatMs(median(inc.edited.map((r) => r.ms)))}; node start-up and module loading are the same in every run.`);
    }

    // 3. The cost curve over the synthetic repos (ours only: cold, no cache).
    const curve = [];
    for (const repo of synthetic) {
      const s = sides(repo, out);
      const runs = await alternateRuns([s.ours(BINS.sparcArchitect, 'sparc-architect', 'exclude', true)], rounds, log);
      const ms = median(runs.get('sparc-architect').map((r) => r.ms));
      const first = runs.get('sparc-architect')[0];
      const inProcess = median(runs.get('sparc-architect').map((r) => r.json.durationMs));
      curve.push({ repo, ms, inProcess });
      const t = first.json.stats.timingsMs;
      rows.push([repo.name, 'sparc-architect cold (cost curve)', formatMs(ms), '', formatMiB(Math.max(...runs.get('sparc-architect').map((r) => r.peakBytes ?? NaN))), `${first.modules} modules, ${first.edges} edges; discover ${formatMs(t.discover)}, parse ${formatMs(t.parse)} (${first.json.stats.chunks} chunks), resolve ${formatMs(t.resolve)}, analyse ${formatMs(t.analyse)}`]);
    }
    const small = curve[0];
    const large = curve[curve.length - 1];
    const growth = large.inProcess / large.repo.size / (small.inProcess / small.repo.size);
    checks.push({ label: `cost per module, ${large.repo.name} vs ${small.repo.name} (analysis)`, display: formatRatio(growth), bar: `≤ ${LINEAR_SLACK}× (no worse than linear)`, pass: growth <= LINEAR_SLACK });

    // 4. The parser choice, single-threaded in this process.
    log('  measuring parsers');
    const parsers = await loadParsers();
    for (const corpus of corpora) {
      const files = listFiles(corpus.root, corpus.folders, corpus.language === 'ts' ? TS_EXT : JS_EXT);
      const measured = measureParsers(parsers, files, quick ? 3 : 7);
      for (const [name, samples] of Object.entries(measured.samples)) {
        const rest = samples.slice(1);
        rows.push([corpus.name, `parser: ${name}`, formatMs(median(rest.length > 0 ? rest : samples)), `first round ${formatMs(samples[0])}`, '', `${formatMiB(measured.bytes)} single-threaded, ${((measured.bytes / 2 ** 20) / (min(samples) / 1000)).toFixed(0)} MB/s at best`]);
      }
    }
    notes.push(
      'Parser choice: oxc-parser on Node 20 has no raw transfer (it needs Node 22), so every parse serializes the whole AST to JSON; reading even its module record costs that, and knowing which imports TypeScript elides needs the AST walked. The architect scanner (a tokenizer plus a small TypeScript type grammar) reports imports, require(), import() and value uses of each binding; it is checked against TypeScript transpileModule and oxc-parser in the tests, and hands files it cannot follow (JSX with type arguments, syntax errors) to oxc-parser in a worker. Chosen: the scanner, with oxc-parser as fallback.',
    );

    return {
      title: 'Import graph and cycles: sparc-architect vs dpdm, dependency-cruiser, madge (and oxlint)',
      method: [
        `Corpora installed with \`npm pack\` into a temp folder: ${corpora.map((c) => `${c.spec} (${c.folders.join(', ')}: ${c.files} files, ${formatMiB(c.bytes)})`).join('; ')}; synthetic TypeScript monorepos of ${sizes.map((s) => s.toLocaleString('en-US')).join(', ')} modules (packages of 500, type-only and elided imports, some cycles, cross-package imports by name and by build-output path).`,
        `Every side is a whole process (\`node <bin>\`; dpdm with \`node --stack-size=4000\`, without which it overflowed the stack on effect about one run in three), from spawn to exit, on the same folders with the same tsconfig; peak RSS from /usr/bin/time. sparc-architect is \`packages/sparc-architect/dist/cli.js\` (the mode without the other modes); \`sparc architect\` (the full CLI) is shown beside it. Peers: dpdm ${versionOf('dpdm')} (-T), dependency-cruiser ${versionOf('dependency-cruiser')} (tsPreCompilationDeps false), madge ${versionOf('madge')} (skipTypeImports), oxlint ${versionOf('oxlint')}.`,
        `Comparison runs: type-only imports left out by every side, sparc with \`--no-workspaces --no-cache\` (cold). ${rounds} round(s), rotating the order; the figure is the median.`,
        'Agreement: each tool\'s edges are read back (dpdm -o, dependency-cruiser JSON, madge --json) and their strongly connected components computed the same way; sparc\'s are its `cycles`. Also with type-only imports included (dpdm without -T, dependency-cruiser with pre-compilation deps).',
        'Incremental: cold (no .sparc/cache), then an unchanged re-run, then one file touched (same content), then one file edited; the check uses the mode\'s own time (`durationMs`), whole-process times are in the notes.',
      ],
      columns: ['corpus', 'side', 'median', 'vs sparc-architect', 'peak RSS', 'what it found'],
      rows,
      checks,
      notes,
    };
  } finally {
    await removeDir(tmp);
  }
}
