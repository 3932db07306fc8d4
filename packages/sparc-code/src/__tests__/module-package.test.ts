import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { GenerateData } from '../lib/mode/data';
import { runJest, runTsc, useRepoToolchain } from './helpers/generated-project';
import { runCode, tempWorkspace, writeFiles, type TempWorkspace } from './helpers/workspace';

describe('built-in generators: module and package', () => {
  let temp: TempWorkspace;

  beforeEach(async () => {
    temp = await tempWorkspace('builtins');
  });
  afterEach(() => temp.cleanup());

  it('module: a plain module with its test, which compiles and passes', async () => {
    const result = await runCode<GenerateData>(temp.workspace, 'generate', { generator: 'module', name: 'StringUtils', out: 'src/lib' });
    expect(result.status).toBe('passed');
    expect((result.data as GenerateData).created).toEqual(['src/lib/string-utils.test.ts', 'src/lib/string-utils.ts']);
    await useRepoToolchain(temp.dir);
    const tsc = runTsc(temp.dir);
    expect(tsc.stdout + tsc.stderr).toBe('');
    const { summary } = await runJest(temp.dir);
    expect(summary.numPassedTests).toBe(1);
    expect(summary.numFailedTests).toBe(0);
  });

  it('package: laid out like its siblings, wired into the root workspaces, and its test passes', async () => {
    await writeFiles(temp.dir, {
      'package.json': JSON.stringify({ name: 'acme', private: true, license: 'MIT', workspaces: ['libs/*'] }, null, 4),
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, types: ['node'] } }),
      'libs/existing/package.json': JSON.stringify({ name: '@acme/existing' }),
    });
    const inLibs = await runCode<GenerateData>(temp.workspace, 'generate', { generator: 'package', name: 'billing-core' });
    expect(inLibs.status).toBe('passed');
    const data = inLibs.data as GenerateData;
    expect(data.created).toEqual(
      ['README.md', 'jest.config.js', 'package.json', 'src/index.ts', 'src/lib/billing-core.test.ts', 'src/lib/billing-core.ts', 'tsconfig.json', 'tsconfig.lib.json'].map((f) => `libs/billing-core/${f}`),
    );
    // libs/* already covers it: the root manifest is left alone.
    expect(data.updated).toEqual([]);
    const manifest = JSON.parse(await fsp.readFile(path.join(temp.dir, 'libs/billing-core/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: '@acme/billing-core', license: 'MIT', main: 'dist/index.js', scripts: { build: 'tsc -p tsconfig.lib.json', test: 'jest' } });
    const tsconfig = JSON.parse(await fsp.readFile(path.join(temp.dir, 'libs/billing-core/tsconfig.json'), 'utf8')) as { extends: string };
    expect(tsconfig.extends).toBe('../../tsconfig.base.json');

    const elsewhere = await runCode<GenerateData>(temp.workspace, 'generate', { generator: 'package', name: 'cli', out: 'tools' });
    expect((elsewhere.data as GenerateData).updated).toEqual(['package.json']);
    const root = await fsp.readFile(path.join(temp.dir, 'package.json'), 'utf8');
    expect(JSON.parse(root)).toMatchObject({ workspaces: ['libs/*', 'tools/cli'] });
    expect(root).toContain('\n    "workspaces"');

    await fsp.symlink(path.dirname(path.dirname(require.resolve('zod/package.json'))), path.join(temp.dir, 'node_modules'), 'dir');
    const pkg = path.join(temp.dir, 'libs/billing-core');
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkg, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    // Plain text whatever the caller's terminal settings (nx forces colours on its children).
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', path.join(pkg, 'jest.config.js'), '--ci', '--colors=false'], { cwd: pkg, encoding: 'utf8', env });
    expect(jest.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(jest.status).toBe(0);
  });
});
