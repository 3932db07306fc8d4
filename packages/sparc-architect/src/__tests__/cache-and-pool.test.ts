import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { analyzeArchitecture } from '../lib/analyze';
import { CACHE_DIR, PARSE_CACHE_FILE } from '../lib/cache/parse-cache';
import { EDGE_RUNTIME } from '../lib/graph/build-graph';
import { tempDir, writeFiles, type TempDir } from './helpers';

function project(files: number): Record<string, string> {
  const out: Record<string, string> = { 'tsconfig.json': '{}' };
  for (let i = 0; i < files; i++) {
    const next = (i + 1) % files;
    out[`src/m${i}.ts`] = `import type { T${next} } from './m${next}';\nimport { v${(i + 2) % files} } from './m${(i + 2) % files}';\nexport type T${i} = { next?: T${next} };\nexport const v${i} = () => v${(i + 2) % files};\n${'// padding\n'.repeat(20)}`;
  }
  return out;
}

function edgeList(a: Awaited<ReturnType<typeof analyzeArchitecture>>): string[] {
  const g = a.graph;
  return g.edgeFrom.map((f, e) => `${g.modules[f]}>${g.modules[g.edgeTo[e]]}:${g.edgeFlags[e] & EDGE_RUNTIME}:${g.edgeLine[e]}`).sort();
}

describe('per-file parse cache under .sparc/cache/architect/', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await tempDir('cache');
    await writeFiles(tmp.dir, project(30));
  });
  afterEach(() => tmp.cleanup());

  it('reuses every result on an unchanged re-run and re-parses only the file that changed', async () => {
    const cold = await analyzeArchitecture({ root: tmp.dir });
    expect(cold.parse).toMatchObject({ files: 30, cached: 0, parsed: 30 });
    expect(existsSync(path.join(tmp.dir, CACHE_DIR, PARSE_CACHE_FILE))).toBe(true);

    const warm = await analyzeArchitecture({ root: tmp.dir });
    expect(warm.parse).toMatchObject({ cached: 30, parsed: 0 });
    expect(edgeList(warm)).toEqual(edgeList(cold));

    // Touched but unchanged: found by its content hash, not parsed again.
    const later = new Date(Date.now() + 5000);
    await fsp.utimes(path.join(tmp.dir, 'src/m3.ts'), later, later);
    const touched = await analyzeArchitecture({ root: tmp.dir });
    expect(touched.parse).toMatchObject({ cached: 30, parsed: 0 });

    // Edited: parsed again, and its new import shows.
    await fsp.appendFile(path.join(tmp.dir, 'src/m3.ts'), "import './m20';\n");
    const edited = await analyzeArchitecture({ root: tmp.dir });
    expect(edited.parse).toMatchObject({ cached: 29, parsed: 1 });
    expect(edgeList(edited)).toContain('src/m3.ts>src/m20.ts:1:25');
  });

  it('parses everything and writes no cache with cache: false', async () => {
    await analyzeArchitecture({ root: tmp.dir, cache: false });
    const again = await analyzeArchitecture({ root: tmp.dir, cache: false });
    expect(again.parse).toMatchObject({ cached: 0, parsed: 30 });
    // Every file a miss, nothing reused, and the same graph as a run with the cache.
    expect(again.cache).toEqual({ statHits: 0, hashHits: 0, misses: 30 });
    expect(again).toMatchObject({ resolutionsReused: 0, analysisKey: undefined, renderCache: undefined });
    expect(existsSync(path.join(tmp.dir, CACHE_DIR))).toBe(false);
    const cached = await analyzeArchitecture({ root: tmp.dir });
    expect(cached.cache).toEqual({ statHits: 0, hashHits: 0, misses: 30 });
    expect(edgeList(again)).toEqual(edgeList(cached));
  });

  it('ignores a corrupt cache file', async () => {
    await writeFiles(tmp.dir, { [`${CACHE_DIR}/${PARSE_CACHE_FILE}`]: '{ not json' });
    const run = await analyzeArchitecture({ root: tmp.dir });
    expect(run.parse).toMatchObject({ cached: 0, parsed: 30 });
  });
});

describe('parsing in the worker pool', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('pool');
    await writeFiles(tmp.dir, { ...project(40), 'src/jsx.tsx': "import { m1 } from './m1';\nexport const C = () => <div>{String(m1)}</div>;\n" });
  });
  afterAll(() => tmp.cleanup());

  it('sends chunks to worker threads and gets the same graph as the main thread', async () => {
    const inline = await analyzeArchitecture({ root: tmp.dir, cache: false });
    expect(inline.parse).toMatchObject({ parsedInline: 41, parsedInPool: 0 });
    const pooled = await analyzeArchitecture({ root: tmp.dir, cache: false }, { inlineBytes: 0 });
    expect(pooled.parse.parsedInPool).toBe(41);
    expect(pooled.parse.chunks).toBeGreaterThanOrEqual(1);
    expect(edgeList(pooled)).toEqual(edgeList(inline));
  });

  it('scans on the main thread beside the pool when there is more than the first chunks of the pool', async () => {
    const big = await tempDir('pool-shared');
    try {
      // About 3 MB: the pool's lanes take their first chunks (2 MB on two threads), the main thread the rest.
      const files = project(60);
      for (const name of Object.keys(files)) if (name.endsWith('.ts')) files[name] += `// ${'x'.repeat(50 * 1024)}\n`;
      await writeFiles(big.dir, files);
      const inline = await analyzeArchitecture({ root: big.dir, cache: false }, { inlineBytes: Number.MAX_SAFE_INTEGER });
      expect(inline.parse).toMatchObject({ parsedInline: 60, parsedInPool: 0 });
      const shared = await analyzeArchitecture({ root: big.dir, cache: false }, { inlineBytes: 0 });
      expect(shared.parse.parsedInline).toBeGreaterThan(0);
      expect(shared.parse.parsedInPool).toBeGreaterThan(0);
      expect(shared.parse.parsedInline + shared.parse.parsedInPool).toBe(60);
      expect(edgeList(shared)).toEqual(edgeList(inline));
    } finally {
      await big.cleanup();
    }
  });

  it('gives the same graph with oxc-parser for every file (the exact reference)', async () => {
    const scanned = await analyzeArchitecture({ root: tmp.dir, cache: false });
    const oxc = await analyzeArchitecture({ root: tmp.dir, cache: false, parser: 'oxc' });
    expect(oxc.parse.parsedInPool).toBe(41);
    expect(edgeList(oxc)).toEqual(edgeList(scanned));
  });

  it('hands a file the scanner cannot follow to oxc in a worker', async () => {
    // Type arguments on a JSX element are valid TSX the scanner does not read.
    await writeFiles(tmp.dir, { 'src/generic-jsx.tsx': "import { m2 } from './m2';\nexport const G = () => <List<string> items={[String(m2)]} />;\n" });
    const a = await analyzeArchitecture({ root: tmp.dir, cache: false });
    expect(a.parse.oxcFallbacks).toBe(1);
    expect(edgeList(a)).toContain('src/generic-jsx.tsx>src/m2.ts:1:1');
    expect(a.graph.parseErrors).toEqual([]);
  });
});

describe('resolution cache', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await tempDir('resolutions');
    await writeFiles(tmp.dir, {
      ...project(20),
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      'src/uses-alias.ts': "import { x } from '@lib/x';\nimport { y } from './y';\nexport const z = [x, y];\n",
      'src/lib/x.ts': 'export const x = 1;\n',
      'src/y/index.ts': 'export const y = 2;\n',
    });
  });
  afterEach(() => tmp.cleanup());

  it('reuses the resolutions of unchanged files and resolves an edited file again', async () => {
    const cold = await analyzeArchitecture({ root: tmp.dir });
    expect(cold.resolutionsReused).toBe(0);
    const warm = await analyzeArchitecture({ root: tmp.dir });
    expect(warm.resolutionsReused).toBe(23);
    expect(edgeList(warm)).toEqual(edgeList(cold));
    await fsp.appendFile(path.join(tmp.dir, 'src/m5.ts'), "import './m9';\n");
    const edited = await analyzeArchitecture({ root: tmp.dir });
    expect(edited.resolutionsReused).toBe(22);
    expect(edgeList(edited)).toContain('src/m5.ts>src/m9.ts:1:25');
  });

  it('resolves everything again when a new file or a changed tsconfig can change what an import means', async () => {
    await analyzeArchitecture({ root: tmp.dir });
    // `./y` meant src/y/index.ts; with src/y.ts it means that file.
    await writeFiles(tmp.dir, { 'src/y.ts': 'export const y = 3;\n' });
    const added = await analyzeArchitecture({ root: tmp.dir });
    expect(added.resolutionsReused).toBe(0);
    expect(edgeList(added)).toContain('src/uses-alias.ts>src/y.ts:1:2');
    // The alias now points elsewhere.
    await writeFiles(tmp.dir, { 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/other/*'] } } }), 'src/other/x.ts': 'export const x = 4;\n' });
    const retargeted = await analyzeArchitecture({ root: tmp.dir });
    expect(edgeList(retargeted)).toContain('src/uses-alias.ts>src/other/x.ts:1:1');
    await writeFiles(tmp.dir, { 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }) });
    const back = await analyzeArchitecture({ root: tmp.dir });
    expect(back.resolutionsReused).toBe(0);
    expect(edgeList(back)).toContain('src/uses-alias.ts>src/lib/x.ts:1:1');
  });
});
