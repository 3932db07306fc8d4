import { runMode } from '@sparc/batch-core';
import type { CoverageData } from '../lib/commands/coverage-command';
import { tddMode } from '../lib/mode';
import { JS_JEST_CONFIG, makeWorkspace, modeContext, type TempWorkspace } from './support/workspace';

const metric = (total: unknown, covered: unknown, pct: unknown = 0) => ({ total, covered, skipped: 0, pct });
const entry = (lines: ReturnType<typeof metric>, rest: Partial<Record<'statements' | 'functions' | 'branches', unknown>> = {}) => ({
  lines,
  statements: rest.statements ?? lines,
  functions: rest.functions ?? metric(1, 1, 100),
  branches: rest.branches ?? metric(0, 0, 'Unknown'),
});

/** istanbul's summary as jest writes it, plus the oddities a defensive reader must survive. */
function summaryFor(root: string): Record<string, unknown> {
  return {
    total: entry(metric(300, 187, 62.33)),
    [`${root}/src/big.ts`]: entry(metric(200, 120, 60)), // 80 uncovered: the weakest by size
    [`${root}/src/medium.ts`]: entry(metric(50, 25, 50)), // 25 uncovered
    [`${root}/src/small.ts`]: entry(metric(10, 2, 20)), // lowest percentage, but only 8 uncovered
    [`${root}/src/strings.ts`]: entry(metric('40', '40', '100')), // numbers as strings
    [`${root}/src/empty.ts`]: entry(metric(0, 0, 'Unknown')), // nothing to cover
    [`${root}/src/nolines.ts`]: { statements: metric(3, 1, 33.33) }, // no lines metric at all
    [`${root}/src/garbage.ts`]: 'not an object',
  };
}

function finalFor(root: string): Record<string, unknown> {
  return {
    [`${root}/src/big.ts`]: {
      path: `${root}/src/big.ts`,
      statementMap: { 0: { start: { line: 2 } }, 1: { start: { line: 13 } } },
      s: { 0: 3, 1: 0 },
      fnMap: { 0: { name: 'used', decl: { start: { line: 1 } } }, 1: { name: 'neverUsed', decl: { start: { line: 12 } } }, 2: { name: '', line: 20 } },
      f: { 0: 3, 1: 0, 2: 0 },
      b: {},
    },
    [`${root}/src/small.ts`]: { fnMap: 'broken', f: null },
  };
}

describe('tdd coverage', () => {
  let fixture: TempWorkspace;

  beforeAll(async () => {
    fixture = await makeWorkspace({});
    await fixture.write('coverage/coverage-summary.json', JSON.stringify(summaryFor(fixture.root)));
    await fixture.write('coverage/coverage-final.json', JSON.stringify(finalFor(fixture.root)));
  });
  afterAll(() => fixture.cleanup());

  it('ranks the weakest modules by uncovered size and lists never-called functions', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<CoverageData>(tddMode, ctx, {}, { command: 'coverage' });
      const data = result.data as CoverageData;
      expect(data.weakest.map((m) => [m.file, m.pct, m.uncovered])).toEqual([
        ['src/big.ts', 60, 80],
        ['src/medium.ts', 50, 25],
        ['src/small.ts', 20, 8],
        ['src/strings.ts', 100, 0],
      ]);
      expect(data.modules).toBe(6);
      expect(data.total.lines).toEqual({ total: 300, covered: 187, pct: 62.33 });
      expect(data.neverCalled).toEqual([
        { file: 'src/big.ts', name: 'neverUsed', line: 12 },
        { file: 'src/big.ts', name: '(anonymous)', line: 20 },
      ]);
      expect(data.belowMin).toEqual([]);
      expect(result.status).toBe('passed');
    } finally {
      await close();
    }
  });

  it('makes a finding for each module below --min, and ranks by the chosen metric', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<CoverageData>(tddMode, ctx, { min: 55, top: 2 }, { command: 'coverage' });
      const data = result.data as CoverageData;
      expect(data.weakest).toHaveLength(2);
      expect(data.belowMin).toEqual([
        { file: 'src/small.ts', pct: 20 },
        { file: 'src/medium.ts', pct: 50 },
      ]);
      expect(result.findings.map((f) => [f.rule, f.file])).toEqual([
        ['tdd.coverage-below-min', 'src/small.ts'],
        ['tdd.coverage-below-min', 'src/medium.ts'],
      ]);
      expect(result.status).toBe('failed');

      const byStatements = await runMode<CoverageData>(tddMode, ctx, { metric: 'statements' }, { command: 'coverage' });
      expect((byStatements.data as CoverageData).weakest.map((m) => m.file)).toContain('src/nolines.ts');
    } finally {
      await close();
    }
  });

  it('says what to do when there is no report, and names a report that is not JSON', async () => {
    const empty = await makeWorkspace({ 'coverage/coverage-summary.json': '{ nope' });
    const { ctx, close } = modeContext(empty.workspace);
    try {
      const missing = await runMode(tddMode, ctx, { summary: 'none.json', final: 'none-final.json' }, { command: 'coverage' });
      expect(missing.summary).toMatch(/TDD_COVERAGE_NOT_FOUND: no coverage report: neither none.json nor none-final.json exists \(run the suites with --run/);
      const broken = await runMode(tddMode, ctx, {}, { command: 'coverage' });
      expect(broken.summary).toMatch(/TDD_BAD_COVERAGE: coverage\/coverage-summary.json is not valid JSON/);
    } finally {
      await close();
      await empty.cleanup();
    }
  });

  it('runs the suites with coverage when asked, and finds the function no test calls', async () => {
    const project = await makeWorkspace(
      {
        'package.json': JSON.stringify({ name: 'cov', private: true }),
        'jest.config.js': JS_JEST_CONFIG,
        'lib/math.js': ['exports.double = function double(x) {', '  return x * 2;', '};', 'exports.triple = function triple(x) {', '  return x * 3;', '};'].join('\n'),
        'lib/math.test.js': "const { double } = require('./math');\ntest('doubles', () => expect(double(2)).toBe(4));\n",
      },
      { linkNodeModules: true },
    );
    const { ctx, close } = modeContext(project.workspace);
    try {
      const result = await runMode<CoverageData>(tddMode, ctx, { run: true }, { command: 'coverage' });
      const data = result.data as CoverageData;
      expect(data.source).toMatch(/^1 suite\(s\) from .*, run with coverage$/);
      expect(data.neverCalled).toEqual([{ file: 'lib/math.js', name: 'triple', line: 4 }]);
      expect(data.weakest[0]).toMatchObject({ file: 'lib/math.js', functions: { total: 2, covered: 1, pct: 50 } });
      expect(data.weakest[0].lines.covered).toBeLessThan(data.weakest[0].lines.total);
      expect(result.status).toBe('passed');
    } finally {
      await close();
      await project.cleanup();
    }
  }, 120_000);
});
