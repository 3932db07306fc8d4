import { lexModule } from './lex-module';
import { scanSource } from './scan';

describe('es-module-lexer for plain JavaScript modules', () => {
  const source = [
    '\uFEFFimport a from "./a.js";',
    "import './side-effect.js';",
    "export * from './star.js';",
    "export * as ns from './ns.js';",
    "export { b } from './b.js';",
    "const lazy = () => import('./lazy.js');",
    'const dynamic = import(name);',
    'import.meta.url;',
    "const text = 'import x from \"./not-an-import.js\"';",
    '// import y from "./in-a-comment.js"',
    'export const c = a;',
  ].join('\n');

  it('gives the same imports (kinds and lines) as the scanner', () => {
    expect(lexModule('x.js', source)).toEqual(scanSource(source, 'js'));
    expect(lexModule('x.js', source)?.map(([specifier]) => specifier)).toEqual(['./a.js', './side-effect.js', './star.js', './ns.js', './b.js', './lazy.js']);
  });

  it('steps aside for TypeScript, JSX files and CommonJS', () => {
    expect(lexModule('x.ts', source)).toBeUndefined();
    expect(lexModule('x.jsx', source)).toBeUndefined();
    expect(lexModule('x.cjs', "const a = require('./a');")).toBeUndefined();
  });
});
