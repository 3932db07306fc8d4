import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { TransformData } from '../lib/mode/data';
import { CODE_RULES } from '../lib/mode/results';
import { journalsLeft, runCode, snapshot, tempWorkspace, writeFiles, type TempWorkspace } from './helpers/workspace';

const name = (i: number) => `src/f${String(i).padStart(3, '0')}.ts`;

/** 100 files; every one calls fetchUser, so a clean transform changes them all. */
function corpus(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 100; i++) files[name(i)] = `import { fetchUser } from './api';\nexport const user${i} = fetchUser(${i});\n`;
  return files;
}

/** Renames fetchUser to loadUser and says which thread did it; throws on the files listed in THROW_ON. */
const TRANSFORM = `const { isMainThread } = require('node:worker_threads');
module.exports = function transform(file) {
  if (file.path === 'src/f037.ts' && require('node:fs').existsSync(__dirname + '/throw-37')) throw new Error('cannot parse ' + file.path);
  if (file.path === 'src/f099.ts' && require('node:fs').existsSync(__dirname + '/throw-99')) throw new TypeError('bad node in ' + file.path);
  if (!file.source.includes('fetchUser')) return undefined;
  return file.source.split('fetchUser').join('loadUser') + '// transformed on ' + (isMainThread ? 'the main thread' : 'a worker thread') + '\\n';
};
`;

describe('code transform', () => {
  let temp: TempWorkspace;

  beforeEach(async () => {
    temp = await tempWorkspace('transform');
    await writeFiles(temp.dir, { ...corpus(), 'tools/rename.cjs': TRANSFORM, 'src/readme.md': 'fetchUser is documented here\n' });
  });
  afterEach(() => temp.cleanup());

  const run = (extra: Record<string, unknown> = {}) => runCode<TransformData>(temp.workspace, 'transform', { transform: 'tools/rename.cjs', glob: 'src/**/*.ts', ...extra });

  it('transforms every matching file in the worker pool and commits them together', async () => {
    const result = await run();
    expect(result.status).toBe('passed');
    const data = result.data as TransformData;
    expect(data.updated).toHaveLength(100);
    expect(data.matched).toBe(100);
    expect(data.committed).toBe(true);
    expect(data.transform).toBe('tools/rename.cjs');
    const f5 = await fsp.readFile(path.join(temp.dir, name(5)), 'utf8');
    expect(f5).toBe("import { loadUser } from './api';\nexport const user5 = loadUser(5);\n// transformed on a worker thread\n");
    // Outside the glob: untouched.
    expect(await fsp.readFile(path.join(temp.dir, 'src/readme.md'), 'utf8')).toBe('fetchUser is documented here\n');
    expect(await journalsLeft(temp.dir)).toEqual([]);
  });

  it('a transform that throws on the 37th of 100 files writes nothing and names that file', async () => {
    await writeFiles(temp.dir, { 'tools/throw-37': '' });
    const before = await snapshot(temp.dir);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('transform failed on src/f037.ts: cannot parse src/f037.ts; nothing written');
    const data = result.data as TransformData;
    expect(data.failures).toEqual([{ path: 'src/f037.ts', message: 'cannot parse src/f037.ts' }]);
    expect(data.committed).toBe(false);
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: CODE_RULES.transformFailed, file: 'src/f037.ts' }));
    expect(await snapshot(temp.dir)).toEqual(before);
  });

  it('--continue-on-error commits the files that transformed and lists every failure', async () => {
    await writeFiles(temp.dir, { 'tools/throw-37': '', 'tools/throw-99': '' });
    const result = await run({ continueOnError: true });
    expect(result.status).toBe('warning');
    const data = result.data as TransformData;
    expect(data.failures.map((f) => f.path)).toEqual(['src/f037.ts', 'src/f099.ts']);
    expect(data.updated).toHaveLength(98);
    expect(result.summary).toContain('failed on src/f037.ts (and 1 more file)');
    expect(await fsp.readFile(path.join(temp.dir, name(37)), 'utf8')).toContain('fetchUser');
    expect(await fsp.readFile(path.join(temp.dir, name(38)), 'utf8')).toContain('loadUser');
  });

  it('--dry-run returns the diff and writes nothing', async () => {
    const before = await snapshot(temp.dir);
    const result = await run({ dryRun: true, glob: 'src/f00[1-2].ts' });
    expect(result.status).toBe('passed');
    const data = result.data as TransformData;
    expect(data.updated).toEqual(['src/f001.ts', 'src/f002.ts']);
    expect(data.diff).toContain('--- a/src/f001.ts\n+++ b/src/f001.ts\n');
    expect(data.diff).toContain("-export const user1 = fetchUser(1);\n+import { loadUser } from './api';\n+export const user1 = loadUser(1);\n");
    expect(await snapshot(temp.dir)).toEqual(before);
  });

  it('runs ES module transforms too, and leaves files the transform returns unchanged alone', async () => {
    await writeFiles(temp.dir, {
      'tools/upper.mjs': "export default function ({ path, source }) { return path.endsWith('f010.ts') ? source.toUpperCase() : null; }\n",
    });
    const result = await run({ transform: 'tools/upper.mjs' });
    expect(result.status).toBe('passed');
    const data = result.data as TransformData;
    expect(data.updated).toEqual(['src/f010.ts']);
    expect(data.unchanged).toHaveLength(99);
    expect(await fsp.readFile(path.join(temp.dir, name(10)), 'utf8')).toBe("IMPORT { FETCHUSER } FROM './API';\nEXPORT CONST USER10 = FETCHUSER(10);\n");
  });

  it('fails with nothing written when the transform returns something that is not text', async () => {
    await writeFiles(temp.dir, { 'tools/bad.cjs': 'module.exports = (file) => (file.path.endsWith("f050.ts") ? 42 : file.source + "// ok\\n");\n' });
    const before = await snapshot(temp.dir);
    const result = await run({ transform: 'tools/bad.cjs' });
    expect(result.status).toBe('failed');
    expect(result.summary).toMatch(/^transform failed on src\/f050\.ts: the transform returned a number/);
    expect(await snapshot(temp.dir)).toEqual(before);
  });

  it('fails clearly when the transform module is missing or exports no function', async () => {
    const missing = await run({ transform: 'tools/none.cjs' });
    expect(missing.status).toBe('failed');
    expect(missing.summary).toContain('tools/none.cjs: no such file');
    await writeFiles(temp.dir, { 'tools/empty.cjs': 'module.exports = { notAFunction: 1 };\n' });
    const empty = await run({ transform: 'tools/empty.cjs' });
    expect(empty.status).toBe('failed');
    expect(empty.summary).toMatch(/TRANSFORM_MODULE_INVALID.*exports no function/);
  });
});
