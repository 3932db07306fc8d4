import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, PARSE_CACHE_FILE } from '../lib/cache/parse-cache';
import { ARCHITECT_RULES } from '../lib/findings';
import { dataOf, runArchitect, tempDir, writeFiles, type TempDir } from './helpers';

const PROJECT: Record<string, string> = {
  'tsconfig.json': '{}',
  'src/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
  'src/b.ts': "export const b = () => 1;\n",
};

/** Runs as root here, so a read-only folder would not stop a write: a file where a folder must be does. */
describe('a cache that cannot be written does not fail the run', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await tempDir('cache-write');
    await writeFiles(tmp.dir, PROJECT);
  });
  afterEach(() => tmp.cleanup());

  it('analyses, writes every report and warns once when the cache folder cannot be made', async () => {
    await writeFiles(tmp.dir, { '.sparc/cache': 'a file where the cache folder should be' });
    const result = await runArchitect(tmp.dir, { format: ['md', 'json'] });
    expect(dataOf(result)).toMatchObject({ modules: 2, edges: 1 });
    expect(result.status).toBe('warning');
    expect(result.artifacts.map((file) => path.basename(file)).sort()).toEqual(['graph.json', 'report.md']);
    const warnings = result.findings.filter((f) => f.rule === ARCHITECT_RULES.cache);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning' });
    expect(warnings[0].message).toMatch(/^the parse, resolution, analysis and rendered graph caches were not written under \.sparc\/cache\/architect, so the next run cannot reuse them: ENOTDIR/);
    expect(await fsp.readFile(path.join(tmp.dir, '.sparc/cache'), 'utf8')).toBe('a file where the cache folder should be');
  });

  it('names only the cache that failed, and keeps the others for the next run', async () => {
    // A folder where the parse cache's file should be: its rename fails, the other files are written.
    await fsp.mkdir(path.join(tmp.dir, CACHE_DIR, PARSE_CACHE_FILE, 'blocker'), { recursive: true });
    const first = await runArchitect(tmp.dir, { format: [] });
    expect(dataOf(first).modules).toBe(2);
    const warnings = first.findings.filter((f) => f.rule === ARCHITECT_RULES.cache);
    expect(warnings.map((f) => f.message)).toEqual([expect.stringMatching(/^the parse cache was not written under \.sparc\/cache\/architect, so the next run cannot reuse it: /)]);
    const written = (await fsp.readdir(path.join(tmp.dir, CACHE_DIR))).filter((name) => !name.endsWith('.tmp')).sort();
    expect(written).toEqual(expect.arrayContaining(['analysis.bin', 'resolution-cache.bin', PARSE_CACHE_FILE]));
    // No temp file is left behind by the failed write.
    expect((await fsp.readdir(path.join(tmp.dir, CACHE_DIR))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports no cache finding when the caches are written', async () => {
    const result = await runArchitect(tmp.dir, { format: [] });
    expect(result.status).toBe('passed');
    expect(result.findings.filter((f) => f.rule === ARCHITECT_RULES.cache)).toEqual([]);
  });
});
