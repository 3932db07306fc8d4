import { runMode } from '@sparc/batch-core';
import { tddMode } from '../lib/mode';
import type { ScanData } from '../lib/commands/scan-command';
import { makeWorkspace, modeContext, sharedPool, type TempWorkspace } from './support/workspace';

/**
 * Tested and untested exports, reached directly, through barrels (`export *`, `export { a as b }`,
 * import-then-export), a namespace import, `require` destructuring and a CommonJS module.
 * Line numbers are those of the exported names.
 */
const FILES: Record<string, string> = {
  'src/math.ts': [
    'export function add(a: number, b: number) { return a + b; }', // 1: tested directly
    'export function subtract(a: number, b: number) { return a - b; }', // 2: untested
    'export const PI = 3.14;', // 3: tested through the root barrel as `pi`
  ].join('\n'),
  'src/shapes/circle.ts': [
    "import { PI } from '../math';",
    'export class Circle { constructor(readonly r: number) {} area() { return PI * this.r ** 2; } }', // 2: tested through two barrels
    'export default function area(r: number) { return PI * r * r; }', // 3: untested default
    'export function circumference(r: number) { return 2 * PI * r; }', // 4: tested through a namespace import
  ].join('\n'),
  'src/shapes/square.ts': [
    'export const side = 1;', // 1: untested
    'export function squareArea(s: number) { return s * s; }', // 2: tested through require destructuring
  ].join('\n'),
  'src/shapes/index.ts': "export * from './circle';\nexport * from './square';\n",
  'src/index.ts': "export * from './shapes';\nexport { PI as pi } from './math';\n",
  'src/util/strings.ts': [
    'export const shout = (s: string) => s.toUpperCase();', // 1: tested through import-then-export
    'export function whisper(s: string) { return s.toLowerCase(); }', // 2: untested
  ].join('\n'),
  'src/util/index.ts': "import { shout } from './strings';\nexport { shout };\n",
  // Overloads declare one export, reported at its first signature.
  'src/format.ts': 'export function format(x: string): string;\nexport function format(x: number): string;\nexport function format(x: unknown) { return String(x); }\n',
  'src/types.ts': 'export interface Shape { area(): number }\nexport type Id = string;\nexport declare const ambient: number;\n',
  'src/legacy.js': ['exports.old = function () { return 1; };', 'module.exports.older = function () { return 2; };'].join('\n'),
  'src/__fixtures__/ignored.ts': 'export const notASourceModule = 1;\n',
  'test/math.test.ts': [
    "import { add } from '../src/math';",
    "import { pi, Circle } from '../src';",
    "import type { Shape } from '../src/types';",
    "test('x', () => { const s: Shape = new Circle(1); expect(add(1, 2) + pi + s.area()).toBeGreaterThan(0); });",
  ].join('\n'),
  'src/shapes/__tests__/circle.ts': "import * as circle from '../circle';\ntest('c', () => expect(circle.circumference(1)).toBeGreaterThan(0));\n",
  'test/square.spec.js': [
    "const { squareArea } = require('../src/shapes/square');",
    "const legacy = require('../src/legacy');",
    "test('s', () => expect(squareArea(2) + legacy.old()).toBe(5));",
  ].join('\n'),
  'test/util.test.ts': "import { shout } from '../src/util';\ntest('u', () => expect(shout('a')).toBe('A'));\n",
};

describe('tdd scan: untested exports', () => {
  const pool = sharedPool();
  let fixture: TempWorkspace;

  beforeAll(async () => {
    fixture = await makeWorkspace(FILES);
  });
  afterAll(async () => {
    await fixture.cleanup();
    await pool.destroy();
  });

  it('reports exactly the untested exports, with file and line, following barrels and re-exports', async () => {
    const { ctx, close } = modeContext(fixture.workspace, { pool: pool.get });
    try {
      const result = await runMode<ScanData>(tddMode, ctx, {}, { command: 'scan' });
      expect(result.findings.filter((f) => f.rule === 'mode.error')).toEqual([]);
      const data = result.data as ScanData;
      expect(data.untested).toEqual([
        { file: 'src/format.ts', name: 'format', line: 1 },
        { file: 'src/legacy.js', name: 'older', line: 2 },
        { file: 'src/math.ts', name: 'subtract', line: 2 },
        { file: 'src/shapes/circle.ts', name: 'default', line: 3 },
        { file: 'src/shapes/square.ts', name: 'side', line: 1 },
        { file: 'src/util/strings.ts', name: 'whisper', line: 2 },
      ]);
      // Type-only exports are not counted; re-exports count once, at their declaration.
      expect(data.exports).toBe(13);
      expect(data.tested).toBe(7);
      expect(data.testFiles).toBe(4);
      expect(data.modules).toContainEqual({ file: 'src/math.ts', exports: 3, untested: 1 });
      expect(data.modules.map((m) => m.file)).not.toContain('src/__fixtures__/ignored.ts');
      expect(result.status).toBe('warning');
      expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'tdd.untested-export', file: 'src/math.ts', line: 2 }));
      expect(result.artifacts).toHaveLength(1);
      expect(JSON.parse(await fixture.read(result.artifacts[0])).untested).toHaveLength(6);
    } finally {
      await close();
    }
  });

  it('is the default command of the mode, and `src` narrows the folder scanned', async () => {
    const { ctx, close } = modeContext(fixture.workspace, { pool: pool.get });
    try {
      const whole = await runMode<ScanData>(tddMode, ctx, {});
      expect((whole.data as ScanData).untested).toHaveLength(6);
      // Scanning only src/util: the tests live outside it, so nothing there counts as tested.
      const narrow = await runMode<ScanData>(tddMode, ctx, { src: 'src/util' }, { command: 'scan' });
      expect((narrow.data as ScanData).untested).toEqual([
        { file: 'src/util/strings.ts', name: 'shout', line: 1 },
        { file: 'src/util/strings.ts', name: 'whisper', line: 2 },
      ]);
    } finally {
      await close();
    }
  });

  it('passes when every export is tested, and reports parse errors as warnings', async () => {
    const small = await makeWorkspace({
      'lib/a.ts': 'export const a = 1;\n',
      'lib/a.test.ts': "import { a } from './a';\ntest('a', () => expect(a).toBe(1));\n",
    });
    const { ctx, close } = modeContext(small.workspace, { pool: pool.get });
    try {
      const clean = await runMode<ScanData>(tddMode, ctx, {}, { command: 'scan' });
      expect(clean.status).toBe('passed');
      expect(clean.data).toMatchObject({ exports: 1, untested: [], tested: 1 });
      await small.write('lib/broken.ts', 'export const = ;\nexport function ok() {}\n');
      const broken = await runMode<ScanData>(tddMode, ctx, {}, { command: 'scan' });
      expect(broken.status).toBe('warning');
      expect((broken.data as ScanData).parseErrors.map((e) => e.file)).toEqual(['lib/broken.ts']);
      expect(broken.findings).toContainEqual(expect.objectContaining({ rule: 'tdd.parse-error', file: 'lib/broken.ts' }));
    } finally {
      await close();
      await small.cleanup();
    }
  });
});
