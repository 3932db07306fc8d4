import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { WorkerPool } from '@sparc/batch-core';
import { createWorkerPool } from '@sparc/batch-core/dist/lib/pool/worker-pool';
import { tempDir, writeFiles, type TempDir } from '../../__tests__/helpers';
import { ParseCache } from '../cache/parse-cache';
import { discoverFiles, type DiscoveredFile } from '../discovery/discover';
import { parseWorkerPath } from '../worker-path';
import { parseFiles, type ParseFilesOptions, type ParseFilesResult } from './parse-files';
import { parseShared, type FileOutcome } from './parse-shared';
import { ParseThread } from './parse-thread';
import type { ParsedSource } from './types';

const DIST = path.dirname(path.dirname(parseWorkerPath()));

/** Every kind of file the two threads split: ES modules (lexed in the thread), CommonJS and TypeScript (scanned on the main thread), TSX the scanner hands to oxc. */
function project(): Record<string, string> {
  const files: Record<string, string> = { 'package.json': '{"name":"p"}', 'tsconfig.json': '{}' };
  const padding = `// ${'x'.repeat(2000)}\n`.repeat(4);
  for (let i = 0; i < 40; i++) files[`src/esm/m${i}.js`] = `import { a } from './m${(i + 1) % 40}.js';\nexport * from '../ts/t${i % 20}';\n${padding}export const a = ${i};\n`;
  for (let i = 0; i < 10; i++) files[`src/cjs/c${i}.js`] = `const m = require('../esm/m${i}.js');\n${padding}module.exports = m;\n`;
  for (let i = 0; i < 20; i++) files[`src/ts/t${i}.ts`] = `import type { T } from './t${(i + 1) % 20}';\nimport { v } from './t${(i + 2) % 20}';\n${padding}export type T = { v?: typeof v };\nexport const v = ${i};\n`;
  files['src/ts/generic-jsx.tsx'] = "import { v } from './t1';\nexport const G = () => <List<string> items={[String(v)]} />;\n";
  return files;
}

async function parse(root: string, files: readonly DiscoveredFile[], options: Partial<ParseFilesOptions> = {}): Promise<ParseFilesResult> {
  // Only for oxc when no parse thread is alive (the main thread alone, or after the thread died).
  let pool: WorkerPool | undefined;
  try {
    return await parseFiles(files, { root, parser: 'auto', cache: await ParseCache.open(root, false), pool: () => (pool ??= createWorkerPool({ maxThreads: 1 })), ...options });
  } finally {
    await pool?.destroy();
  }
}

/** Results as sorted plain data, to compare runs. */
function snapshot(result: Pick<ParseFilesResult, 'results' | 'unreadable'>): unknown {
  return { results: [...result.results].sort(([a], [b]) => a.localeCompare(b)), unreadable: [...result.unreadable].sort(([a], [b]) => a.localeCompare(b)) };
}

describe('parsing shared between the main thread and the parse thread', () => {
  let tmp: TempDir;
  let files: DiscoveredFile[];
  let inline: ParseFilesResult;
  beforeAll(async () => {
    tmp = await tempDir('shared');
    await writeFiles(tmp.dir, project());
    // A file found, then gone before it is read: reported as unreadable whichever thread meets it.
    files = [...(await discoverFiles({ root: tmp.dir })), { path: 'src/esm/gone.js', size: 100, mtimeMs: 0 }];
    inline = await parse(tmp.dir, files, { threadBytes: Number.MAX_SAFE_INTEGER });
  });
  afterAll(() => tmp.cleanup());

  /** A thread that has answered once, so it is up before the run starts and surely takes part. */
  async function readyThread(script: string): Promise<ParseThread> {
    const thread = ParseThread.start(script);
    await thread.parseWithOxc([]);
    return thread;
  }

  async function shareWith(thread: ParseThread): Promise<{ outcomes: FileOutcome[]; byThread: number }> {
    let pool: WorkerPool | undefined;
    try {
      const { outcomes } = await parseShared(files, { root: tmp.dir, thread, oxcPool: () => (pool ??= createWorkerPool({ maxThreads: 1 })) });
      return { outcomes, byThread: outcomes.filter((o) => 'inline' in o && !o.inline).length };
    } finally {
      thread.close();
      await pool?.destroy();
    }
  }

  /** The same data as `inline`, from parseShared's outcomes. */
  function asResult(outcomes: FileOutcome[]): unknown {
    const results = new Map<string, ParsedSource>();
    const unreadable = new Map<string, string>();
    outcomes.forEach((o, i) => ('readError' in o ? unreadable.set(files[i].path, o.readError) : results.set(files[i].path, o.result)));
    return snapshot({ results, unreadable });
  }

  it('gives exactly the results of the main thread alone', async () => {
    expect(inline.stats).toMatchObject({ parsedInline: 70, parsedInPool: 1, chunks: 0, oxcFallbacks: 1 });
    expect(inline.unreadable.get('src/esm/gone.js')).toContain('ENOENT');

    const shared = await parse(tmp.dir, files, { threadBytes: 0 });
    expect(snapshot(shared)).toEqual(snapshot(inline));
    expect(shared.stats.parsed).toBe(71);
    expect(shared.stats.oxcFallbacks).toBe(1);
    // Recorded in the files' order whoever parsed them, so the cache comes out the same every run.
    const readable = files.map((f) => f.path).filter((f) => f !== 'src/esm/gone.js');
    expect([...inline.results.keys()]).toEqual(readable);
    expect([...shared.results.keys()]).toEqual(readable);
  });

  it('has the thread lex ES modules while the main thread scans the rest', async () => {
    const { outcomes, byThread } = await shareWith(await readyThread(path.join(DIST, 'workers', 'parse-thread.js')));
    expect(asResult(outcomes)).toEqual(snapshot(inline));
    expect(byThread).toBeGreaterThan(0);
    // CommonJS and TypeScript are the main thread's: the thread only reads those.
    files.forEach((f, i) => {
      const o = outcomes[i];
      if (!/esm/.test(f.path) && 'inline' in o && f.path !== 'src/ts/generic-jsx.tsx') expect(o.inline).toBe(true);
    });
  });

  it('parses on the main thread what a thread that dies mid-run had claimed', async () => {
    // A parse thread that lexes a few files for real and reports them, then claims two more and dies with them.
    const script = path.join(tmp.dir, 'dying-thread.js');
    await fsp.writeFile(
      script,
      `const { parentPort } = require('node:worker_threads');
const { runLexOrReadJob } = require(${JSON.stringify(path.join(DIST, 'workers', 'lex-or-read.js'))});
const { FileQueue } = require(${JSON.stringify(path.join(DIST, 'lib', 'parse', 'file-queue.js'))});
parentPort.on('message', (request) => {
  if (request.op === 'oxc') return parentPort.postMessage({ id: request.id, ok: true, value: [] });
  const { claims } = request.job;
  const few = { ...request.job, claims: { ...claims, limit: Atomics.load(new Int32Array(claims.front), 0) + 3 } };
  const { batch, transfer } = runLexOrReadJob(few, (b, t) => parentPort.postMessage({ id: request.id, batch: b }, t));
  parentPort.postMessage({ id: request.id, batch }, transfer);
  FileQueue.claimFromFront(claims);
  FileQueue.claimFromFront(claims);
  throw new Error('thread lost');
});
`,
    );
    const { outcomes } = await shareWith(await readyThread(script));
    expect(outcomes.filter((o) => o !== undefined)).toHaveLength(files.length);
    expect(asResult(outcomes)).toEqual(snapshot(inline));
  });

  it('parses everything on the main thread when the thread exits at the first file', async () => {
    const script = path.join(tmp.dir, 'exiting-thread.js');
    await fsp.writeFile(
      script,
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (request.op === 'oxc') return parentPort.postMessage({ id: request.id, ok: true, value: [] });
  require(${JSON.stringify(path.join(DIST, 'lib', 'parse', 'file-queue.js'))}).FileQueue.claimFromFront(request.job.claims);
  process.exit(3);
});
`,
    );
    const { outcomes, byThread } = await shareWith(await readyThread(script));
    expect(asResult(outcomes)).toEqual(snapshot(inline));
    // oxc's file aside (its thread is gone, so the pool parses it).
    expect(byThread).toBe(1);
  });

  it('starts no thread for TypeScript, which only the main thread scans', async () => {
    const typescript = files.filter((f) => f.path.startsWith('src/ts/'));
    const run = await parse(tmp.dir, typescript, { threadBytes: 0 });
    expect(run.stats).toMatchObject({ parsedInline: 20, parsedInPool: 1, chunks: 0, oxcFallbacks: 1 });
    expect(snapshot(run)).toEqual(snapshot({ results: new Map([...inline.results].filter(([f]) => f.startsWith('src/ts/'))), unreadable: new Map() }));
  });

  it('stops at an abort, with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    const run = parse(tmp.dir, files, { threadBytes: 0, signal: controller.signal, progress: () => controller.abort(reason) });
    await expect(run).rejects.toBe(reason);
  });
});

describe('the process ends when parsing ends', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('exit');
    // Over the default threshold of JavaScript (13 MB), so the CLI's run starts the parse thread.
    const files: Record<string, string> = {};
    const padding = `// ${'x'.repeat(4000)}\n`.repeat(40);
    for (let i = 0; i < 80; i++) files[`src/m${i}.js`] = `import { a } from './m${(i + 1) % 80}.js';\n${padding}export const a = ${i};\n`;
    await writeFiles(tmp.dir, files);
  });
  afterAll(() => tmp.cleanup());

  it('exits with a parse thread that was started and never used', () => {
    const script = `const { ParseThread } = require(${JSON.stringify(path.join(DIST, 'lib', 'parse', 'parse-thread.js'))});
ParseThread.start(${JSON.stringify(path.join(DIST, 'workers', 'parse-thread.js'))});
console.log('started');`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('started\n');
  });

  it('runs the CLI to the end with the parse thread lexing', () => {
    const run = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'src', '--dir', tmp.dir, '--json', '--no-cache', '--format', 'json', '--no-workspaces'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { modules: number; edges: number; stats: { parsedInPool: number; parsedInline: number } };
    expect(out).toMatchObject({ modules: 80, edges: 80 });
    expect(out.stats.parsedInPool + out.stats.parsedInline).toBe(80);
    // On one core there is no thread: the main thread parses alone.
    if (availableParallelism() === 1) expect(out.stats.parsedInPool).toBe(0);
    else expect(out.stats.parsedInPool).toBeGreaterThan(0);
  });
});
