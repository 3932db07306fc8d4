import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ModeResult } from '@sparc/batch-core';
import { tempWorkspace } from '../../../pipeline/__tests__/probe-modes';
import { functionMetrics } from '../optimization/complexity';
import { optimizationMode } from '../index';
import { runIn } from './run-mode';

interface OptimizationData {
  files: number;
  totalLines: number;
  largestFiles: Array<{ file: string; lines: number }>;
  complexFunctions: Array<{ file: string; name: string; line: number; complexity: number }>;
  cycles: string[][] | null;
  splitCandidates: Array<{ file: string; reason: string; exports: Array<{ name: string; line: number }> }>;
}

/** A function with `branches` if-statements: complexity branches + 1. */
function branchy(name: string, branches: number): string {
  const body = Array.from({ length: branches }, (_, i) => `  if (x === ${i}) {\n    return ${i};\n  }`).join('\n');
  return `export function ${name}(x: number): number {\n${body}\n  return -1;\n}\n`;
}

describe('optimization mode', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempWorkspace('sparc-optimization-')));
  afterEach(() => cleanup());

  it('measures complexity per function, the size of files, and picks split candidates', async () => {
    await fsp.mkdir(path.join(dir, 'src'));
    await fsp.writeFile(path.join(dir, 'src', 'router.ts'), `// routes\n${branchy('route', 20)}export const small = (a: number) => a > 1 ? a : 0;\n`);
    const many = Array.from({ length: 12 }, (_, i) => `export function helper${i}(v: number): number {\n${Array.from({ length: 30 }, (_, j) => `  v += ${j};`).join('\n')}\n  return v;\n}\n`).join('\n');
    await fsp.writeFile(path.join(dir, 'src', 'helpers.ts'), many);
    await fsp.writeFile(path.join(dir, 'src', 'tiny.js'), 'module.exports = () => 1;\n');
    // A test file's describe block is long by nature: left out unless asked for.
    await fsp.writeFile(path.join(dir, 'src', 'router.test.ts'), `describe('route', () => {\n${'  it.todo("x");\n'.repeat(120)}});\n`);

    const result = await runIn<OptimizationData>(dir, optimizationMode, { maxLines: 300, maxComplexity: 15 });
    const data = result.data as OptimizationData;
    expect(result.status).toBe('warning');
    expect(data.files).toBe(3);
    expect(data.complexFunctions[0]).toEqual({ file: 'src/router.ts', name: 'route', line: 2, lines: 63, complexity: 21 });
    expect(result.findings).toContainEqual({ severity: 'warning', rule: 'optimization.complexity', message: 'route: cyclomatic complexity 21 (limit 15)', file: 'src/router.ts', line: 2 });
    const helperLines = many.split('\n').length - 1;
    expect(data.largestFiles[0]).toMatchObject({ file: 'src/helpers.ts', lines: helperLines });
    expect(result.findings).toContainEqual({ severity: 'warning', rule: 'optimization.file-size', message: `${helperLines} lines (limit 300)`, file: 'src/helpers.ts' });
    expect(data.splitCandidates.map((c) => c.file)).toEqual(['src/helpers.ts']);
    expect(data.splitCandidates[0].exports).toHaveLength(12);
    expect(data.splitCandidates[0].exports[1]).toEqual({ name: 'helper1', line: 35 });
    expect(data.cycles).toBeNull();
    const withTests = await runIn<OptimizationData>(dir, optimizationMode, { tests: true });
    expect((withTests.data as OptimizationData).files).toBe(4);
    expect(withTests.findings).toContainEqual(expect.objectContaining({ rule: 'optimization.function-length', file: 'src/router.test.ts', line: 1 }));
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'optimization.no-architect-data', severity: 'info' }));
  });

  it('reports the import cycles the architect found upstream', async () => {
    await fsp.writeFile(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
    const architect: ModeResult = { status: 'warning', summary: '1 cycle', findings: [], artifacts: [], data: { modules: 2, edges: 2, cycles: [['a.ts', 'b.ts']] } };
    const result = await runIn<OptimizationData>(dir, optimizationMode, {}, { upstream: { architect } });
    expect((result.data as OptimizationData).cycles).toEqual([['a.ts', 'b.ts']]);
    expect(result.findings).toContainEqual({
      severity: 'warning',
      rule: 'optimization.cycle',
      message: 'import cycle of 2 module(s): a.ts → b.ts; break it by moving what they share into a module both import',
      file: 'a.ts',
    });
    expect(result.findings.some((f) => f.rule === 'optimization.no-architect-data')).toBe(false);
  });

  it('counts decision points, not the words in strings and comments', () => {
    const [fn] = functionMetrics("function f(a, b) {\n  // if while for\n  const s = 'if (a) { for }';\n  return a && b ? a ?? b : a || b;\n}\n");
    expect(fn).toEqual({ name: 'f', line: 1, lines: 5, complexity: 5 });
  });
});
