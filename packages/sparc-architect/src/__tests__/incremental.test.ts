import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { analyzeArchitecture, type AnalyzeOptions, type ArchitectureAnalysis } from '../lib/analyze';
import { ANALYSIS_CACHE_FILE } from '../lib/cache/analysis-cache';
import { CACHE_DIR, PARSE_CACHE_DELTA_FILE, PARSE_CACHE_FILE } from '../lib/cache/parse-cache';
import { RESOLUTION_CACHE_DELTA_FILE, RESOLUTION_CACHE_FILE } from '../lib/cache/resolution-cache';
import type { ArchitectData } from '../lib/data';
import { graphJson } from '../lib/report/graph-json';
import { tempDir, writeFiles, type TempDir } from './helpers';

const FILES = 40;
/** Well in the past: entries with this modification time are trusted by stat. */
const PAST = new Date(Date.now() - 3_600_000);

/** Modules in a ring of imports (type-only one way), with packages, built-ins and a broken import. */
function project(): Record<string, string> {
  const out: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
    'src/lib/util.ts': "import { readFileSync } from 'node:fs';\nexport const util = readFileSync;\n",
    'src/data.json': '{}',
  };
  for (let i = 0; i < FILES; i++) {
    const next = (i + 1) % FILES;
    out[`src/m${i}.ts`] =
      `import type { T${next} } from './m${next}';\n` +
      `import { v${(i + 3) % FILES} } from './m${(i + 3) % FILES}';\n` +
      `import { util } from '@lib/util';\n` +
      (i % 5 === 0 ? "import React from 'react';\nimport data from './data.json';\nimport { gone } from './missing';\n" : '') +
      `export type T${i} = { next?: T${next} };\nexport const v${i} = () => [v${(i + 3) % FILES}, util];\n`;
  }
  return out;
}

/** Everything the graph and its analysis say (and the JSON artifact), in a form to compare between runs. */
function snapshot(a: ArchitectureAnalysis) {
  const g = a.graph;
  const { adj, sccs, sccsOtherMode, examples, cycleCount, modules, components, orphans, violations } = a;
  return {
    modules: g.modules,
    edges: g.edgeFrom.map((f, e) => `${g.modules[f]}>${g.modules[g.edgeTo[e]]}:${g.edgeFlags[e]}:${g.edgeLine[e]}`),
    external: g.external,
    unresolved: g.unresolved,
    outside: g.outside,
    parseErrors: g.parseErrors,
    adj: { offsets: [...adj.offsets], targets: [...adj.targets], edges: [...adj.edges] },
    analysis: { sccs, sccsOtherMode, examples, cycleCount, modules, components, orphans, violations },
    json: graphJson(a, { modules: g.modules.length } as unknown as ArchitectData),
  };
}

describe('incremental re-runs', () => {
  let tmp: TempDir;
  const cacheFile = (name: string) => path.join(tmp.dir, CACHE_DIR, name);
  const run = () => analyzeArchitecture({ root: tmp.dir });
  /** What a run without any cache finds on the tree as it is now. */
  const fresh = async () => snapshot(await analyzeArchitecture({ root: tmp.dir, cache: false }));
  const setTimes = async (file: string, time: Date) => fsp.utimes(path.join(tmp.dir, file), time, time);
  const edit = async (file: string, change: (text: string) => string) => {
    const text = await fsp.readFile(path.join(tmp.dir, file), 'utf8');
    if (change(text) === text) throw new Error(`the edit of ${file} changes nothing`);
    await fsp.writeFile(path.join(tmp.dir, file), change(text));
  };

  beforeEach(async () => {
    tmp = await tempDir('incremental');
    await writeFiles(tmp.dir, project());
    for (const file of Object.keys(project())) await setTimes(file, PAST);
  });
  afterEach(() => tmp.cleanup());

  it('finds what a run without cache finds, through edits, additions and removals', async () => {
    expect(snapshot(await run())).toEqual(await fresh());
    const steps: Array<() => Promise<void>> = [
      // An import added, one made type-only, a package and a broken import added.
      () => fsp.appendFile(path.join(tmp.dir, 'src/m7.ts'), "import './m20';\nimport type { v9 } from './m9';\nimport 'lodash/fp';\nimport './nope';\n"),
      // The same number of edges, one of them now type-only, one leading elsewhere, one on another line.
      () => edit('src/m12.ts', (text) => text.replace(`import { v15 }`, `import type { v15 }`)),
      () => edit('src/m13.ts', (text) => text.replace(`'./m16'`, `'./m30'`)),
      () => edit('src/m14.ts', (text) => `\n${text}`),
      // Imports removed.
      () => fsp.writeFile(path.join(tmp.dir, 'src/m10.ts'), 'export type T10 = number;\nexport const v10 = 10;\n'),
      // A new module: the module list changes, so every resolution is made again.
      () => fsp.writeFile(path.join(tmp.dir, 'src/added.ts'), "import { v1 } from './m1';\nexport const added = v1;\n"),
      // A module removed.
      () => fsp.rm(path.join(tmp.dir, 'src/m3.ts')),
      // A file that no longer parses.
      () => fsp.writeFile(path.join(tmp.dir, 'src/m11.ts'), 'export const = ;\n'),
      // And back.
      () => fsp.writeFile(path.join(tmp.dir, 'src/m11.ts'), "import { v2 } from './m2';\nexport const v11 = v2;\n"),
    ];
    for (const step of steps) {
      await step();
      expect(snapshot(await run())).toEqual(await fresh());
      // Once more from what that run saved.
      expect(snapshot(await run())).toEqual(await fresh());
    }
  });

  it('takes the last analysis only with the same options', async () => {
    const variants: Array<Partial<AnalyzeOptions>> = [{}, { typeEdges: 'include' }, { componentDepth: 1 }, { workspaces: false }, { maxCycleExamples: 1 }, {}];
    for (const variant of variants) {
      const cached = await analyzeArchitecture({ root: tmp.dir, ...variant });
      expect(snapshot(cached)).toEqual(snapshot(await analyzeArchitecture({ root: tmp.dir, cache: false, ...variant })));
    }
  });

  it('reuses the result of a touched file with the same content, and parses an edited one again', async () => {
    const cold = await run();
    await setTimes('src/m4.ts', new Date(PAST.getTime() + 60_000));
    const touched = await run();
    expect(touched.parse).toMatchObject({ cached: FILES + 1, parsed: 0 });
    expect(touched.cache).toMatchObject({ hashHits: 1, misses: 0 });
    expect(touched.resolutionsReused).toBe(FILES + 1);
    const after = await run();
    expect(after.cache).toMatchObject({ statHits: FILES + 1, hashHits: 0 });

    await fsp.appendFile(path.join(tmp.dir, 'src/m4.ts'), '// edited\n');
    const edited = await run();
    expect(edited.parse).toMatchObject({ cached: FILES, parsed: 1 });
    expect(edited.resolutionsReused).toBe(FILES);
    expect(snapshot(edited)).toEqual(snapshot(cold));
    // The change went to the delta files; the full files stay as they were.
    expect(existsSync(cacheFile(PARSE_CACHE_DELTA_FILE))).toBe(true);
    expect(existsSync(cacheFile(RESOLUTION_CACHE_DELTA_FILE))).toBe(true);
    const next = await run();
    expect(next.parse.parsed).toBe(0);
    expect(next.resolutionsReused).toBe(FILES + 1);
  });

  it.each([
    ['the parse cache', [PARSE_CACHE_FILE]],
    ['the resolution cache', [RESOLUTION_CACHE_FILE]],
    ['both caches', [PARSE_CACHE_FILE, RESOLUTION_CACHE_FILE]],
    ['the analysis and its JSON text', [ANALYSIS_CACHE_FILE, 'graph-json.bin']],
  ])('ignores a damaged, truncated or outdated file of %s', async (_, names) => {
    const cold = snapshot(await run());
    const damages: Array<(buf: Buffer) => Buffer> = [
      (buf) => Buffer.from(buf.map((byte, i) => (i === buf.length - 3 ? byte ^ 0x40 : byte))),
      (buf) => buf.subarray(0, buf.length - 100),
      // The format version in the header.
      (buf) => Buffer.from(buf.map((byte, i) => (i === 12 ? byte + 7 : byte))),
      () => Buffer.from('garbage'),
    ];
    for (const damage of damages) {
      for (const name of names) await fsp.writeFile(cacheFile(name), damage(await fsp.readFile(cacheFile(name))));
      const again = await run();
      expect(snapshot(again)).toEqual(cold);
      if (names.includes(PARSE_CACHE_FILE)) expect(again.parse.cached).toBe(0);
      if (names.includes(RESOLUTION_CACHE_FILE)) expect(again.resolutionsReused).toBe(0);
      // The run wrote good files again.
      const healed = await run();
      expect(healed.parse.cached).toBe(FILES + 1);
      expect(healed.resolutionsReused).toBe(FILES + 1);
    }
  });

  it('does a cold run with cache: false, whatever the cache holds', async () => {
    await run();
    const uncached = await analyzeArchitecture({ root: tmp.dir, cache: false });
    expect(uncached.parse).toMatchObject({ cached: 0, parsed: FILES + 1 });
    expect(uncached.resolutionsReused).toBe(0);
  });

  it('leaves whole cache files when runs overlap', async () => {
    const cold = snapshot(await run());
    await fsp.appendFile(path.join(tmp.dir, 'src/m8.ts'), '// edited\n');
    const overlapping = await Promise.all([run(), run(), run()]);
    for (const a of overlapping) expect(snapshot(a)).toEqual(cold);
    const after = await run();
    expect(after.parse.parsed).toBe(0);
    expect(snapshot(after)).toEqual(cold);
    expect((await fsp.readdir(path.join(tmp.dir, CACHE_DIR))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes the JSON caches of earlier versions when it writes its own', async () => {
    await writeFiles(tmp.dir, { [`${CACHE_DIR}/parse-cache.json`]: '{}', [`${CACHE_DIR}/resolution-cache.json`]: '{}' });
    await run();
    expect(existsSync(cacheFile('parse-cache.json'))).toBe(false);
    expect(existsSync(cacheFile('resolution-cache.json'))).toBe(false);
    expect(existsSync(cacheFile(PARSE_CACHE_FILE))).toBe(true);
  });
});
