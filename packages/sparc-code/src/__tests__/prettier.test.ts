import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { GenerateData } from '../lib/mode/data';
import { runCode, tempWorkspace, writeFiles, type TempWorkspace } from './helpers/workspace';

/**
 * Prettier is not installed in this repository (and nothing may be installed for tests), so the
 * workspace gets a package named `prettier` in its own node_modules that implements the part of
 * Prettier's API the generator calls: `format`, `resolveConfig` and `getFileInfo`. It stamps what
 * it was given, which is what these tests check: that the workspace's copy is the one loaded, in a
 * pool thread, with the workspace's config and ignore file.
 */
const FIXTURE_PRETTIER = `const fs = require('node:fs');
const path = require('node:path');
const { isMainThread } = require('node:worker_threads');
function rootOf(file) {
  let dir = path.dirname(file);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
exports.resolveConfig = async (file) => JSON.parse(fs.readFileSync(path.join(rootOf(file), '.prettierrc'), 'utf8'));
exports.getFileInfo = async (file, options) => {
  const ignored = fs.readFileSync(options.ignorePath, 'utf8').split('\\n').filter(Boolean).some((line) => path.relative(rootOf(file), file).startsWith(line));
  const parser = file.endsWith('.ts') ? 'typescript' : file.endsWith('.json') ? 'json' : null;
  return { ignored, inferredParser: parser };
};
exports.format = async (source, options) =>
  '// formatted: semi=' + options.semi + ' file=' + path.basename(options.filepath) + ' thread=' + (isMainThread ? 'main' : 'worker') + '\\n' + source;
`;

describe("formatting with the workspace's Prettier", () => {
  let temp: TempWorkspace;

  beforeEach(async () => {
    temp = await tempWorkspace('prettier');
  });
  afterEach(() => temp.cleanup());

  const generate = (extra: Record<string, unknown> = {}) => runCode<GenerateData>(temp.workspace, 'generate', { generator: 'module', name: 'greet', ...extra });

  it('formats generated files in the pool with the workspace copy, its config and its ignore file', async () => {
    await writeFiles(temp.dir, {
      'package.json': '{ "name": "ws" }\n',
      '.prettierrc': '{ "semi": false }\n',
      '.prettierignore': 'src/greet.test.ts\n',
      'node_modules/prettier/package.json': '{ "name": "prettier", "version": "3.0.0", "main": "index.js" }\n',
      'node_modules/prettier/index.js': FIXTURE_PRETTIER,
    });
    const result = await generate();
    expect(result.status).toBe('passed');
    const data = result.data as GenerateData;
    expect(data.format).toEqual({ prettier: path.join(temp.dir, 'node_modules/prettier/index.js'), formatted: 1, failures: [] });
    const source = await fsp.readFile(path.join(temp.dir, 'src/greet.ts'), 'utf8');
    expect(source.split('\n')[0]).toBe('// formatted: semi=false file=greet.ts thread=worker');
    expect(await fsp.readFile(path.join(temp.dir, 'src/greet.test.ts'), 'utf8')).not.toContain('// formatted');

    // Formatting happens before the comparison with disk, so running again is a no-op.
    const again = await generate();
    expect((again.data as GenerateData).unchanged).toEqual(['src/greet.test.ts', 'src/greet.ts']);
  });

  it('writes files as generated when the workspace has no Prettier, or with --format false', async () => {
    const result = await generate();
    expect((result.data as GenerateData).format).toEqual({ prettier: null, formatted: 0, failures: [] });
    expect(await fsp.readFile(path.join(temp.dir, 'src/greet.ts'), 'utf8')).toMatch(/^\/\*\* The greet module\. \*\/\n/);

    await writeFiles(temp.dir, { 'node_modules/prettier/package.json': '{ "name": "prettier", "main": "index.js" }\n', 'node_modules/prettier/index.js': FIXTURE_PRETTIER });
    const off = await generate({ format: false, conflict: 'overwrite' });
    expect((off.data as GenerateData).format.prettier).toBeNull();
    expect((off.data as GenerateData).unchanged).toHaveLength(2);
  });

  it('keeps the generated text and warns when Prettier fails on a file', async () => {
    await writeFiles(temp.dir, {
      'package.json': '{ "name": "ws" }\n',
      'node_modules/prettier/package.json': '{ "name": "prettier", "main": "index.js" }\n',
      'node_modules/prettier/index.js': "exports.resolveConfig = async () => null;\nexports.format = async (s, o) => { if (o.filepath.endsWith('.test.ts')) throw new Error('SyntaxError: unexpected token (3:1)'); return s; };\n",
    });
    const result = await generate();
    expect(result.status).toBe('warning');
    const data = result.data as GenerateData;
    expect(data.created).toHaveLength(2);
    expect(data.format.failures).toEqual([{ path: 'src/greet.test.ts', message: 'SyntaxError: unexpected token (3:1)' }]);
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'warning', file: 'src/greet.test.ts' }));
  });
});
