import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { BatchEngine, Workspace } from '@sparc/batch-core';
import { tempWorkspace } from '../../../pipeline/__tests__/probe-modes';
import { discoverSuites } from '../debug/discover';
import { debugMode } from '../index';
import { runIn } from './run-mode';

/** The repository's node_modules: the fixture's jest is the one this repo installed. */
const REPO_NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', '..', '..', 'node_modules');

interface DebugData {
  suites: Array<{ name: string; kind: string; cwd: string; status: string; passed: number; failed: number; rerun: string[]; crashed?: string }>;
  failures: Array<{ suite: string; test?: string; file?: string; line?: number; message: string; verdict: string }>;
}

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fsp.writeFile(path.join(root, name), content);
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('debug mode', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempWorkspace('sparc-debug-')));
  afterEach(() => cleanup());

  it('runs every suite of a workspace, maps failures to file:line and reruns only the failed files to tell flaky from failing', async () => {
    await fsp.symlink(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
    await write(dir, {
      'package.json': json({ name: 'fixture', private: true, workspaces: ['packages/*'], scripts: { test: 'npm run test --workspaces' } }),
      'packages/web/package.json': json({ name: 'web', scripts: { test: 'jest' }, jest: { testEnvironment: 'node' } }),
      'packages/web/ok.test.js': "test('fine', () => {\n  expect(1).toBe(1);\n});\n",
      'packages/web/math.test.js': "test('adds', () => {\n  expect(1 + 1).toBe(2);\n});\n\ntest('multiplies', () => {\n  expect(2 * 2).toBe(5);\n});\n",
      'packages/web/flaky.test.js': [
        "const fs = require('fs');",
        "const path = require('path');",
        "test('passes the second time', () => {",
        "  const marker = path.join(__dirname, '.ran-once');",
        '  const first = !fs.existsSync(marker);',
        "  fs.writeFileSync(marker, 'x');",
        '  expect(first).toBe(false);',
        '});',
        '',
      ].join('\n'),
      'packages/web/broken.test.js': "test('never runs', () => {});\nconst x = ;\n",
      'packages/core/package.json': json({ name: 'core', scripts: { test: 'node --test test/a.test.js test/b.test.js' } }),
      'packages/core/test/a.test.js': "const test = require('node:test');\nconst assert = require('node:assert');\ntest('sums', () => {\n  assert.strictEqual(2 + 2, 5);\n});\ntest('holds', () => assert.ok(true));\n",
      'packages/core/test/b.test.js': "const test = require('node:test');\ntest('b fine', () => {});\n",
      'packages/tools/package.json': json({ name: 'tools', scripts: { test: 'node check.js' } }),
      'packages/tools/check.js': "const settings = {};\nif (!settings.ready) {\n  throw new Error('settings are not ready');\n}\n",
    });

    const result = await runIn<DebugData>(dir, debugMode);
    const data = result.data as DebugData;
    expect(data.suites.map((s) => [s.name, s.kind, s.cwd])).toEqual([
      ['core', 'node-test', 'packages/core'],
      ['tools', 'script', 'packages/tools'],
      ['web', 'jest', 'packages/web'],
    ]);
    expect(result.status).toBe('failed');

    const at = (rule: string, file: string) => result.findings.find((f) => f.rule === rule && f.file === file);
    expect(at('debug.failing-test', 'packages/web/math.test.js')).toMatchObject({ severity: 'error', line: 6, message: expect.stringContaining('web: multiplies: expect(received).toBe(expected)') });
    expect(at('debug.failing-test', 'packages/web/math.test.js')?.message).toContain('(failed again when rerun)');
    expect(at('debug.flaky-test', 'packages/web/flaky.test.js')).toMatchObject({ severity: 'warning', line: 7, message: expect.stringContaining('passes the second time') });
    expect(at('debug.test-file-error', 'packages/web/broken.test.js')).toMatchObject({ severity: 'error', line: 2 });
    expect(at('debug.failing-test', 'packages/core/test/a.test.js')).toMatchObject({ line: 4, message: expect.stringContaining('core: sums') });
    expect(at('debug.suite-failed', 'packages/tools/check.js')).toMatchObject({ line: 3, message: expect.stringContaining('settings are not ready') });

    const web = data.suites.find((s) => s.name === 'web');
    expect(web).toMatchObject({ status: 'failed', passed: 2, failed: 2 });
    // Only the files with failures ran again.
    expect([...(web?.rerun ?? [])].sort()).toEqual(['packages/web/broken.test.js', 'packages/web/flaky.test.js', 'packages/web/math.test.js']);
    expect(data.suites.find((s) => s.name === 'core')).toMatchObject({ status: 'failed', passed: 2, failed: 1, rerun: ['packages/core/test/a.test.js'] });
    expect(data.suites.find((s) => s.name === 'tools')?.rerun).toEqual(['(whole suite)']);
    expect(data.failures.filter((f) => f.verdict === 'flaky').map((f) => f.test)).toEqual(['passes the second time']);
  }, 120_000);

  it('reports a workspace without suites as a warning, and a jest suite without jest installed as crashed', async () => {
    const none = await runIn<DebugData>(dir, debugMode);
    expect(none.status).toBe('warning');
    expect(none.findings).toEqual([{ severity: 'warning', rule: 'debug.no-suites', message: 'no test suites found (no jest config, no package.json test script)' }]);

    await write(dir, { 'package.json': json({ name: 'solo', scripts: { test: 'jest --coverage' } }) });
    const missing = await runIn<DebugData>(dir, debugMode);
    expect(missing.status).toBe('failed');
    expect(missing.findings[0]).toMatchObject({ rule: 'debug.suite-crashed', message: expect.stringContaining('jest is not installed') });
  });

  it('finds one suite for a root jest config with projects, and skips the npm placeholder script', async () => {
    await write(dir, {
      'package.json': json({ name: 'mono', workspaces: ['pkgs/*'], scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
      'jest.config.js': "module.exports = { projects: ['<rootDir>/pkgs/*'] };\n",
      'pkgs/a/package.json': json({ name: 'a', scripts: { test: 'jest' } }),
    });
    const workspace = await Workspace.open(dir);
    const engine = new BatchEngine({ workspace, monitor: false });
    expect(await discoverSuites(workspace.root, engine, new AbortController().signal)).toEqual([{ name: 'jest', kind: 'jest', cwd: '' }]);
    await fsp.rm(path.join(dir, 'jest.config.js'));
    expect(await discoverSuites(workspace.root, engine, new AbortController().signal)).toEqual([{ name: 'a', kind: 'jest', cwd: 'pkgs/a', command: 'jest' }]);
    await engine.close();
  });
});
