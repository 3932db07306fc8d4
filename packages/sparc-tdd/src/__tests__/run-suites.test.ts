import { runMode } from '@sparc/batch-core';
import type { RunData } from '../lib/commands/run-command';
import { tddMode } from '../lib/mode';
import { JS_JEST_CONFIG, makeWorkspace, modeContext, type TempWorkspace } from './support/workspace';

const PASSING = [
  "const { add } = require('../lib/add');",
  "test('adds', () => { expect(add(1, 2)).toBe(3); });",
  "test('adds negatives', () => { expect(add(-1, -2)).toBe(-3); });",
  "test.todo('adds very large numbers');",
].join('\n');

const FAILING = [
  "describe('maths', () => {",
  "  test('one is one', () => { expect(1).toBe(1); });",
  "  test('two and two', () => {",
  '    expect(2 + 2).toBe(5);', // line 4: an assertion failure
  '  });',
  "  test('null has no length', () => {",
  '    const value = null;',
  '    return value.length;', // line 8: a thrown TypeError
  '  });',
  '});',
].join('\n');

describe('tdd run: suites at once, aggregated', () => {
  let fixture: TempWorkspace;

  beforeAll(async () => {
    fixture = await makeWorkspace(
      {
        'packages/good/jest.config.js': JS_JEST_CONFIG,
        'packages/good/lib/add.js': 'exports.add = (a, b) => a + b;\n',
        'packages/good/test/add.test.js': PASSING,
        'packages/bad/jest.config.js': JS_JEST_CONFIG,
        'packages/bad/maths.test.js': FAILING,
        'packages/broken/jest.config.js': JS_JEST_CONFIG,
        'packages/broken/syntax.test.js': "test('never runs', () => { expect(1).toBe(1);\n",
        'packages/broken/fine.test.js': "test('fine', () => expect(true).toBe(true));\n",
        'packages/badconfig/jest.config.js': "module.exports = { testEnvironment: 'node', notAnOption: true, testMatch: 42 };\n",
        'packages/badconfig/x.test.js': "test('x', () => {});\n",
        'package.json': JSON.stringify({ name: 'fixture', private: true, workspaces: ['packages/*'] }),
        'sparc.config.json': JSON.stringify({ tdd: { suites: { good: 'packages/good', bad: 'packages/bad/jest.config.js' } } }),
      },
      { linkNodeModules: true },
    );
  });
  afterAll(() => fixture.cleanup());

  it('runs two suites concurrently (one failing) and aggregates counts, failures with file:line, and durations', async () => {
    const { ctx, batches, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<RunData>(tddMode, ctx, {}, { command: 'run' });
      const data = result.data as RunData;
      expect(data.from).toBe('sparc.config.json tdd.suites');
      const [good, bad] = data.suites;
      expect(good).toMatchObject({ name: 'good', status: 'passed', passed: 2, failed: 0, todo: 1, total: 3, files: 1, maxWorkers: 1, failures: [] });
      expect(bad).toMatchObject({ name: 'bad', status: 'failed', passed: 1, failed: 2, todo: 0, total: 3, files: 1 });
      expect(bad.failures).toEqual([
        { file: 'packages/bad/maths.test.js', line: 4, test: 'maths › two and two', message: expect.stringContaining('expect(received).toBe(expected)'), assertion: true },
        { file: 'packages/bad/maths.test.js', line: 8, test: 'maths › null has no length', message: expect.stringContaining('TypeError'), assertion: false },
      ]);
      expect(bad.failures[0].message).toContain('Expected: 5');
      expect(data.totals).toMatchObject({ suites: 2, passed: 3, failed: 2, todo: 1, failedSuites: 1, crashedSuites: 0 });
      for (const suite of data.suites) expect(suite.durationMs).toBeGreaterThan(0);
      expect(result.status).toBe('failed');
      expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'tdd.test-failed', file: 'packages/bad/maths.test.js', line: 4 }));
      // Both jest processes were running at the same time: each started before the other ended.
      const ops = batches.flatMap((b) => b.results).filter((r) => r.type === 'exec');
      expect(ops).toHaveLength(2);
      expect(ops[1].startMs).toBeLessThan(ops[0].startMs + ops[0].durationMs);
      expect(ops[0].startMs).toBeLessThan(ops[1].startMs + ops[1].durationMs);
      // jest's own JSON reports are kept as artifacts.
      expect(result.artifacts.filter((a) => a.endsWith('.json'))).toHaveLength(3);
    } finally {
      await close();
    }
  });

  it('reports a suite with a syntax error, and one whose jest cannot start, as crashed, not as zero failures', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<RunData>(tddMode, ctx, { suites: ['broken=packages/broken', 'badconfig=packages/badconfig', 'good=packages/good'] }, { command: 'run' });
      const data = result.data as RunData;
      const byName = Object.fromEntries(data.suites.map((s) => [s.name, s]));
      expect(byName.broken).toMatchObject({ status: 'crashed', passed: 1, failed: 0 });
      expect(byName.broken.crashedFiles).toEqual([{ file: 'packages/broken/syntax.test.js', message: expect.stringMatching(/unexpected token|failed to parse|SyntaxError/i) }]);
      expect(byName.badconfig.status).toBe('crashed');
      expect(byName.badconfig.crash).toMatch(/testMatch|Validation|exited with code/);
      expect(byName.good.status).toBe('passed');
      expect(data.totals.crashedSuites).toBe(2);
      expect(result.status).toBe('failed');
      expect(result.findings.filter((f) => f.rule === 'tdd.suite-crashed').map((f) => f.message)).toEqual([
        expect.stringContaining('packages/broken/syntax.test.js failed to run'),
        expect.stringContaining('suite badconfig crashed before running its tests'),
      ]);
    } finally {
      await close();
    }
  });

  it('kills a suite that runs over its time limit and reports it as crashed', async () => {
    await fixture.write('packages/slow/jest.config.js', JS_JEST_CONFIG);
    await fixture.write('packages/slow/slow.test.js', "test('sleeps', () => new Promise((resolve) => setTimeout(resolve, 120000)), 180000);\n");
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<RunData>(tddMode, ctx, { suites: ['slow=packages/slow'], timeoutMs: 4000 }, { command: 'run' });
      const [slow] = (result.data as RunData).suites;
      expect(slow).toMatchObject({ name: 'slow', status: 'crashed', passed: 0, failed: 0 });
      expect(slow.crash).toMatch(/timed out after 4000 ms/);
      expect(result.status).toBe('failed');
    } finally {
      await close();
    }
  });

  it('selects suites with --only and refuses unknown names', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const only = await runMode<RunData>(tddMode, ctx, { only: ['good'] }, { command: 'run' });
      expect((only.data as RunData).suites.map((s) => s.name)).toEqual(['good']);
      expect(only.status).toBe('passed');
      const unknown = await runMode(tddMode, ctx, { only: ['nope'] }, { command: 'run' });
      expect(unknown.status).toBe('failed');
      expect(unknown.summary).toMatch(/unknown suite\(s\) nope \(known: good, bad\)/);
    } finally {
      await close();
    }
  });
});

