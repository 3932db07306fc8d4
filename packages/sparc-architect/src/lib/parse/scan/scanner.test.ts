import ts from 'typescript';
import { scanSource, ScanBailout } from './index';
import { unpackImport, type SourceLang } from '../types';

type Seen = 'runtime' | 'type' | 'elided';

/** `specifier kind seen@line` for each import, in source order. */
function scan(source: string, lang: SourceLang = 'ts'): string[] {
  return scanSource(source, lang).map((packed) => {
    const r = unpackImport(packed);
    const seen: Seen = r.typeOnly ? 'type' : r.elided ? 'elided' : 'runtime';
    return `${r.specifier} ${r.kind} ${seen}@${r.line}`;
  });
}

/** Specifiers that survive compilation, by our scanner. */
function runtimeSpecifiers(source: string, lang: SourceLang = 'ts'): string[] {
  return scanSource(source, lang)
    .map(unpackImport)
    .filter((r) => !r.typeOnly && !r.elided && r.kind !== 'type-import')
    .map((r) => r.specifier)
    .sort();
}

/** Specifiers that survive compilation, by TypeScript itself (`transpileModule`, as dpdm -T and dependency-cruiser use). */
function typescriptSpecifiers(source: string, jsx = false): string[] {
  const output = ts.transpileModule(source, {
    fileName: jsx ? 'x.tsx' : 'x.ts',
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.Preserve, experimentalDecorators: true },
  }).outputText;
  const out = new Set<string>();
  for (const m of output.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    out.add(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return [...out].sort();
}

describe('scanner: import forms', () => {
  it('reads every static import form with its line', () => {
    const source = [
      "import a from './a';",
      "import { b, c as d } from './b';",
      "import * as e from './e';",
      "import './side-effect';",
      "import f, { g } from './f';",
      "import json from './data.json' with { type: 'json' };",
      'a; d; e; f; g; json;',
    ].join('\n');
    expect(scan(source)).toEqual([
      './a import runtime@1',
      './b import runtime@2',
      './e import runtime@3',
      './side-effect side-effect runtime@4',
      './f import runtime@5',
      './data.json import runtime@6',
    ]);
  });

  it('reads re-exports, export-star and their type-only forms', () => {
    const source = ["export { a } from './a';", "export * from './star';", "export * as ns from './ns';", "export type { T } from './types';", "export { type U } from './u';", "export type * from './all-types';"].join('\n');
    expect(scan(source)).toEqual([
      './a re-export runtime@1',
      './star export-star runtime@2',
      './ns re-export runtime@3',
      './types re-export type@4',
      './u re-export type@5',
      './all-types export-star type@6',
    ]);
  });

  it('reads dynamic import() and require() with a literal, and nothing else that looks like them', () => {
    const source = [
      "const lazy = () => import('./lazy');",
      'const tpl = import(`./template`);',
      "const cjs = require('./cjs');",
      'const dynamic = require(name);',
      "const other = loader.require('./not-an-import');",
      "const text = \"require('./in-a-string')\";",
      "// import x from './in-a-comment';",
      "/* require('./in-a-block-comment') */",
      'const re = /import\\(".\\/in-a-regex"\\)/;',
      "const t = `${require('./in-template')}`;",
    ].join('\n');
    expect(scan(source, 'js')).toEqual(['./lazy dynamic runtime@1', './template dynamic runtime@2', './cjs require runtime@3', './in-template require runtime@10']);
  });

  it('records import("./x") inside a type as a type-only import', () => {
    expect(scan("type Lazy = typeof import('./lazy');\nlet x: import('./y').Y;")).toEqual(['./lazy type-import type@1', './y type-import type@2']);
  });

  it('reads TypeScript import-equals', () => {
    expect(scan("import fs = require('fs');\nfs.readFileSync('x');\nimport type T = require('./t');")).toEqual(['fs import-equals runtime@1', './t import-equals type@3']);
  });
});

describe('scanner: type-only and elided imports (what TypeScript drops)', () => {
  it('marks `import type` and all-`type` specifier lists as type-only, keeps mixed lists', () => {
    const source = ["import type { A } from './a';", "import { type B } from './b';", "import { type C, D } from './cd';", 'D();'].join('\n');
    expect(scan(source)).toEqual(['./a import type@1', './b import type@2', './cd import runtime@3']);
  });

  it('marks imports used only in type positions as elided', () => {
    const source = [
      "import { Annotated } from './annotated';",
      "import { Generic } from './generic';",
      "import { Asserted } from './asserted';",
      "import { Implemented } from './implemented';",
      "import { Queried } from './queried';",
      "import * as ns from './namespace';",
      "import { Aliased } from './aliased';",
      "import { Param } from './param';",
      'let a: Annotated;',
      'const g = make<Generic>();',
      'const x = y as Asserted;',
      'class C implements Implemented {}',
      'let q: typeof Queried;',
      'let n: ns.Type;',
      'type Alias = Aliased[];',
      'function f(p: Param): void {}',
    ].join('\n');
    expect(scan(source).map((line) => line.split(' ')[2].split('@')[0])).toEqual(Array(8).fill('elided'));
  });

  it('keeps imports used as values anywhere, even next to type uses', () => {
    const source = [
      "import { Base } from './base';",
      "import { factory } from './factory';",
      "import { Shown } from './shown';",
      "import { dec } from './dec';",
      "import { reexported } from './reexported';",
      "import { Def } from './def';",
      "import { cmp } from './cmp';",
      'class C extends Base {}',
      'const x: Base = factory();',
      'const o = { Shown };',
      'class D { @dec() m() {} }',
      'export { reexported };',
      'export default Def;',
      'if (a < cmp && b > c) {}',
    ].join('\n');
    expect(scan(source).every((line) => line.includes('runtime'))).toBe(true);
  });

  it('does not take object keys, member names or declarations for uses', () => {
    const source = ["import { key } from './key';", "import { member } from './member';", "import { method } from './method';", 'const o = { key: 1 };', 'obj.member();', 'class K { method() {} }'].join('\n');
    expect(scan(source).map((line) => line.split(' ')[2].split('@')[0])).toEqual(['elided', 'elided', 'elided']);
  });

  it('drops `import {} from` like TypeScript, but not side-effect imports', () => {
    expect(scan("import {} from './empty';\nimport './side';")).toEqual(['./empty import elided@1', './side side-effect runtime@2']);
  });

  it('never elides in JavaScript', () => {
    expect(scan("import { unused } from './unused';", 'js')).toEqual(['./unused import runtime@1']);
  });

  it('agrees with TypeScript transpileModule on tricky syntax', () => {
    const cases = [
      "import { A, B } from './ab';\nexport function f<T extends A = A>(x: T): B { return x as unknown as B; }",
      "import { Opts } from './opts';\nexport const handler = async ({ a, b }: Opts = {} as Opts): Promise<void> => {};",
      "import { Cfg } from './cfg';\nimport { make } from './make';\nexport const c = cond ? make(1) : (make as (x: Cfg) => void);",
      "import { K } from './k';\nexport class Store<T> { private readonly items: Map<K, T> = new Map(); get(key: K): T | undefined { return this.items.get(key); } }",
      "import { E } from './e';\nexport enum Color { Red = E.red, Blue = 2 }",
      "import { Ns } from './ns';\nexport namespace Outer { export const v = Ns.value; }",
      "import { T1 } from './t1';\ndeclare module './t1' { interface T1 { extra: string } }\ndeclare const d: T1;",
      "import { fn } from './fn';\nconst x = a<b;\nconst y = c>(fn);",
      "import { over } from './over';\nexport function o(a: string): void;\nexport function o(a: number): void;\nexport function o(a: unknown) { over(a); }",
      "import { Key } from './key';\ninterface I { [k: string]: Key }\nconst m: { [p: string]: Key } = {};",
      "import { U } from './u';\ntype Cond<T> = T extends U ? true : false;\nlet v: Cond<string>;",
      "import { tag } from './tag';\nconst s = tag`a${1}b`;\nconst t = `x${`y${2}`}`;",
      "import { G } from './g';\nconst r = /[/'\"]+/g.test(s) ? 1 : 2;\nlet z: G;",
      "import { Sat } from './sat';\nexport const conf = { a: 1 } satisfies Sat;",
      "import { abs } from './abs';\nexport abstract class A { abstract m(): void; n() { return abs; } }",
      "import def, { named } from './mixed';\nexport const z: typeof def = named;",
    ];
    for (const source of cases) expect({ source, specifiers: runtimeSpecifiers(source) }).toEqual({ source, specifiers: typescriptSpecifiers(source) });
  });
});

describe('scanner: JSX', () => {
  it('counts components used as JSX elements, not intrinsic elements', () => {
    const source = [
      "import { Button } from './button';",
      "import { unused } from './unused';",
      "import * as ui from './ui';",
      "import { div } from './div';",
      "export const App = () => <div className=\"it's\">Don't <Button onClick={() => go(1)} /> <ui.Card>{items.map((i) => <span key={i}>{i}</span>)}</ui.Card></div>;",
    ].join('\n');
    expect(runtimeSpecifiers(source, 'tsx')).toEqual(['./button', './ui']);
  });

  it('tells generic arrow functions from JSX in .tsx', () => {
    const source = "import { T } from './t';\nimport { run } from './run';\nexport const id = <X,>(x: X): X => x;\nexport const k = <Y extends T>(y: Y) => run(y);";
    expect(runtimeSpecifiers(source, 'tsx')).toEqual(typescriptSpecifiers(source, true));
  });

  it('reads JSX in plain .js files', () => {
    expect(runtimeSpecifiers("import Foo from './foo';\nexport default () => <Foo a=\"1\" {...rest}>text with a / slash</Foo>;", 'js')).toEqual(['./foo']);
  });
});

describe('scanner: what it cannot follow', () => {
  it.each([
    ['an unterminated string', "import a from './a;\n"],
    ['an unterminated comment', "import a from './a';\n/* never closed"],
    ['a broken import clause', "import { a from './a';"],
    ['an unbalanced bracket', "import a from './a';\nfunction f() { if (x) { }"],
  ])('bails out on %s', (_, source) => {
    expect(() => scanSource(source, 'ts')).toThrow(ScanBailout);
  });
});
