import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { makeTempDir, need, removeDir } from '../lib/core.mjs';
import { RENAME_FROM, TRANSFORM_SOURCE, verifyCorpus, writeAll, writeCorpus } from '../lib/code-corpus.mjs';
import { entityTemplates, entityVariables, runHygen, runPlop, writeHygenTemplates, writePlopGenerator } from '../lib/code-peers.mjs';
import { alternate } from '../lib/harness.mjs';
import { formatMs, formatRatio, formatSpread } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);

const ENTITIES = 200;
const CORPUS_FILES = 5000;
const FIELDS = ['title:string', 'amount:number', 'count:integer', 'active:boolean', 'dueAt?:date', 'tags:string[]', 'status:enum(open|closed)'];
const FIRST_WORDS = ['Alpha', 'Bravo', 'Cedar', 'Delta', 'Ember', 'Falcon', 'Garnet', 'Harbor', 'Indigo', 'Juniper'];
const SECOND_WORDS = ['Order', 'Invoice', 'Ticket', 'Account', 'Shipment', 'Payment', 'Report', 'Device', 'Session', 'Project', 'Asset', 'Contract', 'Booking', 'Review', 'Message', 'Region', 'Vendor', 'Policy', 'Batch', 'Widget'];

async function loadCode() {
  try {
    const mod = await import('@sparc/code');
    return mod.default ?? mod;
  } catch (error) {
    throw new Error(`cannot load @sparc/code (run "npm run build" first): ${error.message}`);
  }
}

function benchSpec(core) {
  const entities = [];
  for (const first of FIRST_WORDS) for (const second of SECOND_WORDS) entities.push({ name: `${first}${second}`, fields: FIELDS });
  return need(core, 'parseSpec')({ name: 'bench', entities: entities.slice(0, ENTITIES) });
}

/** Throws unless every expected file is on disk with exactly the expected bytes. */
async function verifyTree(root, expected, side) {
  const entries = [...expected];
  let next = 0;
  const lane = async () => {
    while (next < entries.length) {
      const [rel, content] = entries[next++];
      const actual = await fs.readFile(path.join(root, rel), 'utf8').catch(() => undefined);
      if (actual !== content) throw new Error(`${side}: ${rel} ${actual === undefined ? 'is missing' : 'differs from the sparc output'}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
}

async function generationComparison({ core, code, quick, log }) {
  const spec = benchSpec(core);
  const dir = await makeTempDir('code-gen');
  try {
    const templates = entityTemplates(core, code, FIELDS);
    const projectFiles = code.renderProjectFiles(spec.entities, 'src', { app: true, title: spec.name });
    const plopfile = await writePlopGenerator(path.join(dir, 'plop-generator'), templates, projectFiles);
    const hygenTemplates = await writeHygenTemplates(path.join(dir, 'hygen-templates'), templates, projectFiles);
    const vars = spec.entities.map((entity) => entityVariables(core, entity));
    const expected = new Map();
    for (const entity of spec.entities) for (const file of code.renderEntityFiles(entity)) expected.set(file.path, file.content);
    for (const file of projectFiles) expected.set(file.path, file.content);

    const nodePlop = (await import(require.resolve('node-plop'))).default;
    const hygen = require('hygen');
    let sample = 0;
    const side = (name, run) => {
      let dest;
      return {
        name,
        before: async () => {
          dest = path.join(dir, `out-${sample++}`);
          await fs.mkdir(dest);
        },
        run: () => run(dest),
        after: async () => {
          await verifyTree(dest, expected, name);
          await removeDir(dest);
        },
      };
    };
    const sides = [
      side('sparc generate --spec (atomic)', async (dest) => {
        const workspace = await core.Workspace.open(dest);
        const generation = await code.planGeneration(workspace, { spec });
        const result = await code.applyGeneratedFiles(workspace, generation.files, {});
        if (!result.committed || result.created.length !== expected.size) throw new Error(`sparc: ${result.created.length} files created, expected ${expected.size}`);
      }),
      side('plop (node-plop, in-process)', async (dest) => {
        const written = await runPlop(nodePlop, plopfile, dest, vars);
        if (written !== expected.size) throw new Error(`plop wrote ${written} files, expected ${expected.size}`);
      }),
      side('hygen (runner, in-process)', async (dest) => {
        const written = await runHygen(hygen, hygenTemplates, dest, vars);
        if (written !== expected.size) throw new Error(`hygen wrote ${written} files, expected ${expected.size}`);
      }),
    ];
    const rounds = quick ? 1 : 5;
    const measured = await alternate(sides, { rounds, warmupRounds: quick ? 0 : 1, log });
    return { sides, measured, files: expected.size, rounds };
  } finally {
    await removeDir(dir);
  }
}

async function codemodComparison({ core, code, quick, log }) {
  const dir = await makeTempDir('code-mod');
  try {
    const corpusDir = path.join(dir, 'corpus');
    const files = await writeCorpus(corpusDir, CORPUS_FILES);
    const transformFile = path.join(dir, 'rename-fetch-user.cjs');
    await fs.writeFile(transformFile, TRANSFORM_SOURCE);
    const expectedChanged = files.filter((f) => f.source.includes(RENAME_FROM)).length;
    const Runner = require('jscodeshift/src/Runner.js');
    const threads = os.availableParallelism();
    const workspace = await core.Workspace.open(corpusDir);

    const side = (name, run) => ({
      name,
      run,
      after: async () => {
        const changed = await verifyCorpus(corpusDir, files, name);
        if (changed !== expectedChanged) throw new Error(`${name}: ${changed} files changed, expected ${expectedChanged}`);
        // Back to the original sources for the next sample (untimed).
        await writeAll(corpusDir, files.filter((f) => f.source.includes(RENAME_FROM)).map((f) => ({ path: f.path, content: f.source })));
      },
    });
    const sides = [
      side('sparc transform (worker pool, atomic)', async () => {
        // The pool is part of the run, as jscodeshift's worker processes are part of its.
        const pool = core.createWorkerPool({ maxThreads: threads });
        try {
          const result = await code.transformFilesMatching(workspace, { transform: transformFile, glob: 'src/**/*.ts', pool });
          if (!result.committed || result.changed.length !== expectedChanged || result.failures.length > 0) throw new Error(`sparc: ${result.changed.length} changed, ${result.failures.length} failures`);
        } finally {
          await pool.destroy();
        }
      }),
      side('jscodeshift Runner (worker processes, file by file)', async () => {
        const stats = await Runner.run(transformFile, [path.join(corpusDir, 'src')], { babel: false, extensions: 'ts', silent: true, verbose: 0, dry: false, print: false, cpus: threads });
        if (stats.error !== 0 || stats.ok !== expectedChanged) throw new Error(`jscodeshift: ok ${stats.ok}, error ${stats.error}`);
      }),
      side('sparc modify (find/replace, atomic)', async () => {
        const result = await code.modifyFilesMatching(workspace, { glob: 'src/**/*.ts', find: RENAME_FROM, replace: 'loadUser' });
        if (!result.committed || result.changes.length !== expectedChanged) throw new Error(`sparc modify: ${result.changes.length} files changed`);
      }),
    ];
    const rounds = quick ? 1 : 5;
    const measured = await alternate(sides, { rounds, warmupRounds: quick ? 0 : 1, log });
    const journals = await fs.readdir(path.join(corpusDir, '.sparc', 'txn')).catch(() => []);
    return { sides, measured, expectedChanged, threads, rounds, journals };
  } finally {
    await removeDir(dir);
  }
}

export async function run({ core, quick, log }) {
  const code = await loadCode();
  const gen = await generationComparison({ core, code, quick, log });
  const mod = await codemodComparison({ core, code, quick, log });

  const sparcGen = gen.measured[gen.sides[0].name].median;
  const sparcMod = mod.measured[mod.sides[0].name].median;
  const rows = [
    ...gen.sides.map(({ name }) => [`generate ${gen.files.toLocaleString('en-US')} files`, name, formatMs(gen.measured[name].median), formatRatio(gen.measured[name].median / sparcGen), formatSpread(gen.measured[name].samples)]),
    ...mod.sides.map(({ name }) => [`codemod ${CORPUS_FILES.toLocaleString('en-US')} files`, name, formatMs(mod.measured[name].median), formatRatio(mod.measured[name].median / sparcMod), formatSpread(mod.measured[name].samples)]),
  ];
  const speedup = (measured, peer, ours) => measured[peer].median / measured[ours].median;
  const checks = [
    ...gen.sides.slice(1).map(({ name }) => {
      const ratio = speedup(gen.measured, name, gen.sides[0].name);
      return { label: `generate ${ENTITIES} entities: sparc vs ${name.split(' ')[0]}`, display: `${formatRatio(ratio)} faster`, bar: '> 1× (faster)', pass: ratio > 1 };
    }),
    (() => {
      const ratio = speedup(mod.measured, mod.sides[1].name, mod.sides[0].name);
      return { label: `codemod over ${CORPUS_FILES.toLocaleString('en-US')} files: sparc transform vs jscodeshift`, display: `${formatRatio(ratio)} faster`, bar: '> 1× (faster), atomic', pass: ratio > 1 && mod.journals.length === 0 };
    })(),
  ];
  return {
    title: `Code generation and codemods: ${ENTITIES} entities vs plop and hygen; ${CORPUS_FILES.toLocaleString('en-US')}-file transform vs jscodeshift`,
    method: [
      `Generation: a spec of ${ENTITIES} entities with ${FIELDS.length} fields each (every field kind), ${gen.files.toLocaleString('en-US')} files (8 per entity, plus src/errors.ts, src/app.ts, src/main.ts, src/openapi.json) into an empty folder each sample.`,
      'sparc: `planGeneration` + `applyGeneratedFiles` (render, stage every file in one FileTransaction with the conflict check, one journaled commit: temp file + fsync + rename per file). No Prettier in the temp folder, so nothing is formatted.',
      "Peers get equivalent templates: sparc's output for a sentinel entity with each form of its name (Pascal, camel, kebab, plurals) replaced by a variable, as Handlebars (plop) and EJS (hygen) files; the shared files as literal templates. Both run in-process with every entity started at once (`Promise.all` over node-plop's `runActions` and over hygen's `runner`), which is faster than their CLIs (one process per entity). They write file by file, without fsync or rollback.",
      'Every sample checks, untimed, that all files are on disk byte for byte equal to the sparc output.',
      `Codemod: ${CORPUS_FILES.toLocaleString('en-US')} TypeScript files (~18 lines) in folders of 100, ${mod.expectedChanged.toLocaleString('en-US')} of which call \`${RENAME_FROM}\`; the same CommonJS transform module for both tools (\`(file) => string | undefined\`, a regex rename).`,
      `sparc: \`transformFilesMatching\` with a new worker pool of ${mod.threads} threads per sample (created and destroyed inside the timing), files read on the main thread, transformed in chunks in the pool, changed files committed in one transaction. jscodeshift: \`Runner.run\` with \`cpus: ${mod.threads}\` (it caps this at cores − 1, so ${Math.max(os.availableParallelism() - 1, 1)} worker process(es) here), \`babel: false\`, \`silent\`, which writes each changed file with write-file-atomic. The sparc modify row does the same rename as a literal find/replace on the main thread, for reference.`,
      `Every sample checks, untimed, every file's content, then restores the corpus. Alternating harness, ${gen.rounds} round(s)${quick ? ' without' : ' after'} a warm-up round; ratios are side median / sparc median (higher means sparc is faster).`,
    ],
    columns: ['task', 'side', 'median time', '× sparc time', 'rounds (ms)'],
    rows,
    checks,
    notes: mod.journals.length ? [`${mod.journals.length} journal entr(ies) were left under .sparc/txn after the codemod runs`] : [],
  };
}
