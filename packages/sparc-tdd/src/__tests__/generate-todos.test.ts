import { runMode } from '@sparc/batch-core';
import type { GenerateData } from '../lib/commands/generate-command';
import type { RunData } from '../lib/commands/run-command';
import type { ScanData } from '../lib/commands/scan-command';
import { tddMode } from '../lib/mode';
import { JS_JEST_CONFIG, makeWorkspace, modeContext, sharedPool, type TempWorkspace } from './support/workspace';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'calc', private: true }),
  'jest.config.js': JS_JEST_CONFIG,
  'lib/calc.js': [
    'exports.add = function add(a, b) { return a + b; };',
    'exports.fetchRate = async function fetchRate(currency, { retries = 1 } = {}) { return retries; };',
    'class Calculator { constructor(precision) { this.precision = precision; } round(x) { return x; } static create() { return new Calculator(2); } get digits() { return 2; } #secret() {} }',
    'exports.Calculator = Calculator;',
    "exports.VERSION = '1.0';",
  ].join('\n'),
  // An existing test that covers `add` only: the todos for calc.js go beside it, not over it.
  'lib/calc.test.js': "const { add } = require('./calc');\ntest('adds', () => expect(add(1, 2)).toBe(3));\n",
  'lib/text.js': "module.exports = function shout(s) { return s.toUpperCase(); };\nmodule.exports.EMPTY = '';\n",
};

describe('tdd generate for untested exports: honest it.todo files', () => {
  const pool = sharedPool();
  let fixture: TempWorkspace;

  beforeAll(async () => {
    fixture = await makeWorkspace(FILES, { linkNodeModules: true });
  });
  afterAll(async () => {
    await fixture.cleanup();
    await pool.destroy();
  });

  it('writes a describe per untested export with todos from its kind, parameters and methods, never overwriting', async () => {
    const { ctx, close } = modeContext(fixture.workspace, { pool: pool.get });
    try {
      const dry = await runMode<GenerateData>(tddMode, ctx, { from: 'untested', dryRun: true }, { command: 'generate' });
      expect((dry.data as GenerateData).diff).toContain('+++ b/lib/calc.untested.test.js');
      expect(await fixture.exists('lib/calc.untested.test.js')).toBe(false);

      const result = await runMode<GenerateData>(tddMode, ctx, { from: 'untested' }, { command: 'generate' });
      const data = result.data as GenerateData;
      expect(data.untestedExports).toBe(5);
      expect(data.files.map((f) => [f.path, f.subject, f.tests])).toEqual([
        ['lib/calc.untested.test.js', 'lib/calc.js', 0],
        ['lib/text.test.js', 'lib/text.js', 0],
      ]);
      expect(await fixture.read('lib/calc.test.js')).toBe(FILES['lib/calc.test.js']);

      const calc = await fixture.read('lib/calc.untested.test.js');
      expect(calc).toContain('describe("fetchRate(currency, { retries })", () => {');
      expect(calc).toContain('it.todo("resolves to the expected result for typical arguments (currency, { retries })");');
      expect(calc).toContain('it.todo("rejects with a clear error on invalid input");');
      expect(calc).toContain('describe("class Calculator", () => {');
      expect(calc).toContain('it.todo("constructs from valid arguments (precision)");');
      expect(calc).toContain('it.todo("round(): expected result for typical input, and its error cases");');
      expect(calc).toContain('it.todo("static create(): expected result for typical input, and its error cases");');
      expect(calc).toContain('it.todo("get digits: gives the expected value");');
      expect(calc).not.toContain('secret');
      expect(calc).toContain('describe("VERSION", () => {');
      expect(calc).not.toContain('describe("add');
      expect(await fixture.read('lib/text.test.js')).toContain('describe("default export(s)", () => {');
    } finally {
      await close();
    }
  });

  it('runs as todos, never as passes, and the exports still count as untested', async () => {
    const { ctx, close } = modeContext(fixture.workspace, { pool: pool.get });
    try {
      const generatedTodos = (await fixture.read('lib/calc.untested.test.js')).split('it.todo(').length - 1 + (await fixture.read('lib/text.test.js')).split('it.todo(').length - 1;
      const run = await runMode<RunData>(tddMode, ctx, { suites: ['all=.'] }, { command: 'run' });
      const suite = (run.data as RunData).suites[0];
      expect(suite).toMatchObject({ status: 'passed', passed: 1, failed: 0, todo: generatedTodos, files: 3 });

      const scan = await runMode<ScanData>(tddMode, ctx, {}, { command: 'scan' });
      expect((scan.data as ScanData).untested.map((u) => u.name)).toEqual(['fetchRate', 'Calculator', 'VERSION', 'default', 'EMPTY']);

      const again = await runMode<GenerateData>(tddMode, ctx, { from: 'untested' }, { command: 'generate' });
      expect((again.data as GenerateData).files).toEqual([]);
      expect((again.data as GenerateData).skipped.map((s) => s.path)).toEqual(['lib/calc.untested.test.js', 'lib/text.test.js']);
    } finally {
      await close();
    }
  });
});
