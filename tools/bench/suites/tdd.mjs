/**
 * sparc tdd: (1) scanning a real package's TypeScript sources for untested exports, against a
 * single-threaded TypeScript-compiler pass that does the same; (2) N independent jest suites through
 * `sparc tdd run`, against running them one after another and against one jest invocation over all.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const { AbortController } = globalThis;
import { makeTempDir, need, removeDir } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { formatMs, formatRatio, formatSpread } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const SPARC_BIN = path.resolve(here, '../../../apps/orchestrator/bin/sparc.js');
const JEST_BIN = require.resolve('jest/bin/jest');

/** The architect corpus: effect ships ~570 TypeScript files under src/. */
const CORPUS = { name: 'effect', version: '4.1.0' };
const SCAN_BAR = 2;
const RUN_BAR = 1.5;

async function loadTdd() {
  try {
    const mod = await import('@sparc/tdd');
    return mod.default ?? mod;
  } catch (error) {
    throw new Error(`cannot load @sparc/tdd (run "npm run build" first): ${error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The single-threaded TypeScript-compiler pass: the same facts (value exports, re-exports through
// barrels, test imports), the same resolution and the same "tested" rule as the sparc scan.

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function tsFileFacts(ts, file, source, isTest) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const has = (node, kind) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === kind) ?? false;
  const exports = [];
  const imports = [];
  const importedAs = new Map();
  const typeNames = new Set();
  const localNames = new Set();
  const addLocal = (name, node) => {
    if (localNames.has(name)) return;
    localNames.add(name);
    exports.push({ type: 'local', name, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const from = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      const names = [];
      if (clause?.name) {
        names.push('default');
        importedAs.set(clause.name.text, { from, imported: 'default' });
      }
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        importedAs.set(bindings.name.text, { from, imported: '*' });
        if (isTest) imports.push({ from, names: 'all' });
      } else if (bindings) {
        for (const el of bindings.elements) {
          if (el.isTypeOnly) continue;
          names.push((el.propertyName ?? el.name).text);
          importedAs.set(el.name.text, { from, imported: (el.propertyName ?? el.name).text });
        }
      }
      if (isTest) imports.push({ from, names });
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      typeNames.add(st.name.text);
    }
  }
  if (isTest) return { file, exports, imports };
  for (const st of sf.statements) {
    const exported = has(st, ts.SyntaxKind.ExportKeyword) && !has(st, ts.SyntaxKind.DeclareKeyword);
    if (exported && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st))) {
      addLocal(has(st, ts.SyntaxKind.DefaultKeyword) ? 'default' : st.name.text, has(st, ts.SyntaxKind.DefaultKeyword) ? st : st.name);
    } else if (exported && ts.isVariableStatement(st)) {
      const visit = (name) => (ts.isIdentifier(name) ? addLocal(name.text, name) : name.elements.forEach((e) => !ts.isOmittedExpression(e) && visit(e.name)));
      for (const d of st.declarationList.declarations) visit(d.name);
    } else if (exported && ts.isEnumDeclaration(st) && !has(st, ts.SyntaxKind.ConstKeyword)) {
      addLocal(st.name.text, st.name);
    } else if (exported && ts.isModuleDeclaration(st) && ts.getModuleInstanceState(st) === ts.ModuleInstanceState.Instantiated) {
      addLocal(st.name.text, st.name);
    } else if (ts.isExportAssignment(st)) {
      addLocal('default', st);
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const from = st.moduleSpecifier?.text;
      const clause = st.exportClause;
      if (from !== undefined && !clause) exports.push({ type: 'star', from });
      else if (from !== undefined && ts.isNamespaceExport(clause)) exports.push({ type: 'namespace', name: clause.name.text, from });
      else if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          if (el.isTypeOnly) continue;
          const local = (el.propertyName ?? el.name).text;
          if (from !== undefined) exports.push({ type: 're-export', name: el.name.text, from, imported: local });
          else if (importedAs.has(local)) {
            const binding = importedAs.get(local);
            exports.push(binding.imported === '*' ? { type: 'namespace', name: el.name.text, from: binding.from } : { type: 're-export', name: el.name.text, from: binding.from, imported: binding.imported });
          } else if (!typeNames.has(local)) addLocal(el.name.text, el);
        }
      }
    }
  }
  return { file, exports, imports };
}

function resolveIn(files, fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  if (files.has(target)) return target;
  const ext = path.posix.extname(target);
  const swaps = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }[ext] ?? [];
  for (const s of swaps) if (files.has(target.slice(0, -ext.length) + s)) return target.slice(0, -ext.length) + s;
  for (const e of EXTENSIONS) if (files.has(target + e)) return target + e;
  for (const e of EXTENSIONS) if (files.has(`${target}/index${e}`)) return `${target}/index${e}`;
  return undefined;
}

/** The TS pass end to end: read and parse every file on this thread, follow barrels, mark tested. */
async function typescriptScan(ts, root, sources, tests) {
  const facts = new Map();
  for (const file of [...sources, ...tests]) facts.set(file, tsFileFacts(ts, file, await fs.readFile(path.join(root, file), 'utf8'), tests.includes(file)));
  const fileSet = new Set(facts.keys());
  const memo = new Map();
  const declarationsOf = (file, name, seen = new Set()) => {
    const key = `${file}#${name}`;
    if (memo.has(key)) return memo.get(key);
    if (seen.has(key)) return [];
    seen.add(key);
    const found = new Set();
    const own = facts.get(file)?.exports ?? [];
    for (const f of own) {
      const target = f.from !== undefined ? resolveIn(fileSet, file, f.from) : undefined;
      if (f.type === 'local' && f.name === name) found.add(key);
      else if (f.type === 're-export' && f.name === name && target) for (const k of declarationsOf(target, f.imported, seen)) found.add(k);
      else if (f.type === 'namespace' && f.name === name && target) for (const k of everyDeclarationOf(target, seen)) found.add(k);
    }
    if (found.size === 0 && name !== 'default') {
      for (const f of own) {
        const target = f.type === 'star' ? resolveIn(fileSet, file, f.from) : undefined;
        if (target) for (const k of declarationsOf(target, name, seen)) found.add(k);
      }
    }
    const result = [...found];
    memo.set(key, result);
    return result;
  };
  const namesOf = (file, seen = new Set()) => {
    if (seen.has(file)) return [];
    seen.add(file);
    return (facts.get(file)?.exports ?? []).flatMap((f) => (f.type !== 'star' ? [f.name] : namesOf(resolveIn(fileSet, file, f.from) ?? '', seen).filter((n) => n !== 'default')));
  };
  const everyDeclarationOf = (file, seen) => [...new Set(namesOf(file).flatMap((n) => declarationsOf(file, n, seen)))];
  const tested = new Set();
  for (const test of tests) {
    for (const imp of facts.get(test).imports) {
      const target = resolveIn(fileSet, test, imp.from);
      if (!target || tests.includes(target)) continue;
      for (const k of imp.names === 'all' ? everyDeclarationOf(target, new Set()) : imp.names.flatMap((n) => declarationsOf(target, n))) tested.add(k);
    }
  }
  const declarations = sources.flatMap((file) => facts.get(file).exports.filter((e) => e.type === 'local').map((e) => ({ file, name: e.name, line: e.line })));
  return { exports: declarations.length, untested: declarations.filter((d) => !tested.has(`${d.file}#${d.name}`)) };
}

// ---------------------------------------------------------------------------------------------

async function installCorpus(log) {
  const dir = await makeTempDir('tdd-corpus');
  log(`  npm install ${CORPUS.name}@${CORPUS.version}`);
  await promisify(execFile)('npm', ['install', '--prefix', dir, `${CORPUS.name}@${CORPUS.version}`, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { timeout: 300_000 });
  return { dir, pkg: path.join(dir, 'node_modules', CORPUS.name) };
}

/** A workspace of the package's src/ plus synthetic tests: named imports of a third of the modules, and namespaces from the barrel. */
async function scanWorkspace(ts, pkg, ws) {
  await fs.cp(path.join(pkg, 'src'), path.join(ws, 'src'), { recursive: true });
  const sources = (await fs.readdir(path.join(ws, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => `src/${f.split(path.sep).join('/')}`).sort();
  const barrel = tsFileFacts(ts, 'src/index.ts', await fs.readFile(path.join(ws, 'src/index.ts'), 'utf8'), false);
  const namespaces = barrel.exports.filter((e) => e.type === 'namespace');
  const tests = [];
  for (const [i, file] of sources.entries()) {
    if (i % 3 !== 0) continue;
    const names = tsFileFacts(ts, file, await fs.readFile(path.join(ws, file), 'utf8'), false).exports.filter((e) => e.type === 'local' && e.name !== 'default').slice(0, 2).map((e) => e.name);
    if (names.length === 0) continue;
    const test = `test/${path.posix.basename(file, '.ts')}-${i}.test.ts`;
    const spec = path.posix.relative('test', file).replace(/\.ts$/, '.js');
    tests.push({ test, content: `import { ${names.join(', ')} } from '${spec}';\ntest('uses', () => { void [${names.join(', ')}]; });\n` });
  }
  for (const [i, ns] of namespaces.entries()) {
    if (i % 7 === 0) tests.push({ test: `test/ns-${ns.name}.test.ts`, content: `import { ${ns.name} } from '../src/index.js';\ntest('ns', () => { void ${ns.name}; });\n` });
  }
  await fs.mkdir(path.join(ws, 'test'), { recursive: true });
  for (const t of tests) await fs.writeFile(path.join(ws, t.test), t.content);
  return { sources, tests: tests.map((t) => t.test).sort() };
}

async function scanComparison({ core, tdd, quick, log }) {
  const ts = require('typescript');
  const { dir, pkg } = await installCorpus(log);
  const ws = path.join(dir, 'ws');
  try {
    const { sources, tests } = await scanWorkspace(ts, pkg, ws);
    const workspace = await need(core, 'Workspace').open(ws);
    const threads = os.availableParallelism();
    const pool = need(core, 'createWorkerPool')({ maxThreads: threads });
    const ctxWith = (getPool) => ({ workspace, pool: getPool, signal: new AbortController().signal, progress: () => {} });
    const options = { src: '.', include: tdd.DEFAULT_INCLUDE, exclude: tdd.DEFAULT_EXCLUDE, tests: tdd.DEFAULT_TEST_PATTERNS };
    const results = {};
    const keep = (name) => (report) => {
      results[name] = { exports: report.exports, untested: report.untested.length, keys: new Set(report.untested.map((u) => `${u.file}#${u.name}`)) };
    };
    const sides = [
      { name: 'sparc tdd scan (oxc in the worker pool, warm)', run: async () => keep('warm')(await tdd.scanWorkspace(ctxWith(() => pool), options)) },
      {
        name: 'sparc tdd scan (new pool per run, as the CLI)',
        run: async () => {
          const fresh = need(core, 'createWorkerPool')({ maxThreads: threads });
          try {
            keep('cold')(await tdd.scanWorkspace(ctxWith(() => fresh), options));
          } finally {
            await fresh.destroy();
          }
        },
      },
      { name: 'TypeScript compiler, single-threaded', run: async () => keep('ts')(await typescriptScan(ts, ws, sources, tests)) },
    ];
    const rounds = quick ? 2 : 5;
    let measured;
    try {
      measured = await alternate(sides, { rounds, warmupRounds: 1, log });
    } finally {
      await pool.destroy();
    }
    const tsMs = measured[sides[2].name].median;
    const same = results.warm.untested === results.ts.untested && results.warm.exports === results.ts.exports && [...results.ts.keys].every((k) => results.warm.keys.has(k));
    return {
      sources,
      tests,
      rows: sides.map((s) => ['scan', s.name, formatMs(measured[s.name].median), formatRatio(tsMs / measured[s.name].median), formatSpread(measured[s.name].samples)]),
      warmRatio: tsMs / measured[sides[0].name].median,
      coldRatio: tsMs / measured[sides[1].name].median,
      results,
      same,
      threads,
      rounds,
    };
  } finally {
    await removeDir(dir);
  }
}

// ---------------------------------------------------------------------------------------------

const TEST_FILE = (suite, file) => `function work(n) { let x = ${suite + file}; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; return x; }
describe('suite ${suite} file ${file}', () => {
  for (let t = 0; t < 4; t++) test('case ' + t, () => { expect(work(2e6 + t)).toBeGreaterThanOrEqual(0); });
});
`;
const FILES_PER_SUITE = 3;
const TESTS_PER_SUITE = FILES_PER_SUITE * 4;

async function writeSuites(root, count) {
  const names = Array.from({ length: count }, (_, i) => `suite-${String(i).padStart(2, '0')}`);
  await fs.writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'bench-suites', private: true, workspaces: ['suite-*'] }));
  await fs.writeFile(path.join(root, 'jest.config.js'), `module.exports = { projects: ${JSON.stringify(names.map((n) => `<rootDir>/${n}`))} };\n`);
  await fs.symlink(path.dirname(path.dirname(path.dirname(JEST_BIN))), path.join(root, 'node_modules'), 'dir');
  for (const [i, name] of names.entries()) {
    await fs.mkdir(path.join(root, name), { recursive: true });
    await fs.writeFile(path.join(root, name, 'jest.config.js'), `module.exports = { testEnvironment: 'node', displayName: '${name}' };\n`);
    for (let f = 0; f < FILES_PER_SUITE; f++) await fs.writeFile(path.join(root, name, `case-${f}.test.js`), TEST_FILE(i, f));
  }
  return names;
}

function runNode(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function passedIn(reportFile) {
  return JSON.parse(await fs.readFile(reportFile, 'utf8')).numPassedTests;
}

async function suitesComparison({ quick, log }) {
  const root = await makeTempDir('tdd-suites');
  const count = quick ? 4 : 8;
  try {
    const names = await writeSuites(root, count);
    const out = (name) => path.join(root, `.out-${name}.json`);
    const expectPassed = (side, passed, expected) => {
      if (passed !== expected) throw new Error(`${side}: ${passed} tests passed, expected ${expected}`);
    };
    const sides = [
      {
        name: `sparc tdd run (${count} suites, built CLI)`,
        run: async () => {
          const res = await runNode([SPARC_BIN, 'tdd', 'run', '--dir', root, '--json'], root);
          const data = JSON.parse(res.stdout);
          if (data.suites.length !== count || data.suites.some((s) => s.status !== 'passed')) throw new Error(`sparc tdd run: ${res.stdout.slice(0, 500)} ${res.stderr.slice(0, 500)}`);
          expectPassed('sparc tdd run', data.totals.passed, count * TESTS_PER_SUITE);
        },
      },
      {
        name: 'jest per suite, one after another',
        run: async () => {
          let passed = 0;
          for (const name of names) {
            await runNode([JEST_BIN, '--ci', '--json', `--outputFile=${out(name)}`], path.join(root, name));
            passed += await passedIn(out(name));
          }
          expectPassed('one after another', passed, count * TESTS_PER_SUITE);
        },
      },
      {
        name: 'one jest invocation over all suites (projects)',
        run: async () => {
          await runNode([JEST_BIN, '--ci', '--json', `--outputFile=${out('all')}`], root);
          expectPassed('one jest', await passedIn(out('all')), count * TESTS_PER_SUITE);
        },
      },
    ];
    const rounds = quick ? 1 : 5;
    const measured = await alternate(sides, { rounds, warmupRounds: 1, log });
    const [ours, sequential, single] = sides.map((s) => measured[s.name].median);
    return {
      count,
      rounds,
      rows: sides.map((s) => ['jest suites', s.name, formatMs(measured[s.name].median), formatRatio(sequential / measured[s.name].median), formatSpread(measured[s.name].samples)]),
      vsSequential: sequential / ours,
      vsSingle: single / ours,
    };
  } finally {
    await removeDir(root);
  }
}

export async function run({ core, quick, log }) {
  const tdd = await loadTdd();
  const scan = await scanComparison({ core, tdd, quick, log });
  const suites = await suitesComparison({ quick, log });
  const w = scan.results.warm;
  return {
    title: 'sparc tdd: untested-export scan vs a TypeScript-compiler pass; concurrent jest suites vs one after another and one jest',
    method: [
      `Scan corpus: ${CORPUS.name}@${CORPUS.version} installed with npm into a temp folder; its ${scan.sources.length} src/*.ts files copied into a workspace with ${scan.tests.length} generated test files (named imports from every third module, and namespaces imported from the src/index.ts barrel), so barrels and re-exports are followed for real.`,
      `sparc side: \`scanWorkspace\` of the built @sparc/tdd (glob, oxc-parser in ${scan.threads} worker threads, export graph, tested marking), once with a warm pool and once with a pool created and destroyed per run as the CLI does. TypeScript side: \`ts.createSourceFile\` of every file on one thread, the same facts (value exports, re-exports, test imports), the same resolution and tested rule. Both must report the same exports and the same untested set.`,
      `Suites: ${suites.count} independent jest projects of ${FILES_PER_SUITE} files × 4 CPU-bound tests (plain JS, jest ${require('jest/package.json').version}). \`sparc tdd run\` is the built CLI discovering them as workspace packages and running them as concurrent exec operations (--maxWorkers = cores / suites at once); the sequential side runs each suite's jest in turn with jest's defaults; the single side runs one jest over a root config listing all of them as projects. Every sample checks that all ${suites.count * TESTS_PER_SUITE} tests passed.`,
      `Alternating harness: scan ${scan.rounds} rounds, suites ${suites.rounds} rounds, after a warm-up round each; medians. Ratios: TS time / side time for the scan, sequential time / side time for the suites (higher is better).`,
    ],
    columns: ['comparison', 'side', 'median time', 'speed-up', 'rounds (ms)'],
    rows: [...scan.rows, ...suites.rows],
    checks: [
      { label: 'scan, warm pool, vs single-threaded TypeScript pass', display: formatRatio(scan.warmRatio), bar: `≥ ${SCAN_BAR}×`, pass: scan.warmRatio >= SCAN_BAR },
      { label: 'scan agrees with the TypeScript pass (exports, untested set)', display: `${w.exports} exports, ${w.untested} untested`, bar: 'identical', pass: scan.same },
      { label: `sparc tdd run vs ${suites.count} suites one after another`, display: formatRatio(suites.vsSequential), bar: `≥ ${RUN_BAR}×`, pass: suites.vsSequential >= RUN_BAR },
    ],
    notes: [
      `sparc tdd run vs one jest invocation over all ${suites.count} suites: ${formatRatio(suites.vsSingle)} (above 1× means sparc is faster; one jest pays its start-up once and shares its workers).`,
      `Scan with a new pool per run: ${formatRatio(scan.coldRatio)} the TypeScript pass (thread start and parser load included).`,
      scan.same ? 'Both scans reported the same untested exports.' : `The scans disagree: sparc ${w.exports}/${w.untested}, TypeScript ${scan.results.ts.exports}/${scan.results.ts.untested} (exports/untested).`,
    ],
  };
}
