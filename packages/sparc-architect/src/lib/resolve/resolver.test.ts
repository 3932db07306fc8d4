import { tempDir, writeFiles, type TempDir } from '../../__tests__/helpers';
import { Resolver, type Resolution } from './resolver';

/** Two folders, each with its own tsconfig (`paths`) and package.json (`imports`), and files named alike. */
const FILES: Record<string, string> = {
  'a/package.json': JSON.stringify({ name: 'a', imports: { '#z': './z-a.ts' } }),
  'a/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['./lib-a/*'] } } }),
  'a/main.ts': '',
  'a/x.ts': '',
  'a/lib-a/y.ts': '',
  'a/z-a.ts': '',
  'a/esm.ts': '',
  'a/view.tsx': '',
  'a/mod.mts': '',
  // `./.js` has no extension (a name that is only a dot and letters), so it never means `./.ts`.
  'a/.ts': '',
  'a/.js.ts': '',
  'a/v1.2/x.ts': '',
  'b/package.json': JSON.stringify({ name: 'b', imports: { '#z': './z-b.ts' } }),
  'b/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['./lib-b/*'] } } }),
  'b/main.ts': '',
  'b/x.ts': '',
  'b/lib-b/y.ts': '',
  'b/z-b.ts': '',
};

function target(resolution: Resolution): string {
  return resolution.kind === 'module' || resolution.kind === 'outside' ? resolution.path : resolution.kind === 'external' ? `external ${resolution.name}` : 'unresolved';
}

describe('Resolver', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('resolver');
    await writeFiles(tmp.dir, FILES);
  });
  afterAll(() => tmp.cleanup());

  const modules = () => new Set(Object.keys(FILES).filter((file) => file.endsWith('.ts') || file.endsWith('.tsx') || file.endsWith('.mts')));

  it('keeps the answers of each folder and each tsconfig apart, whichever file asks first', () => {
    const resolver = new Resolver({ root: tmp.dir, modules: modules() });
    const fromA = resolver.resolverFor('a/main.ts');
    const fromB = resolver.resolverFor('b/main.ts');
    for (const [specifier, inA, inB] of [
      ['./x', 'a/x.ts', 'b/x.ts'],
      ['@lib/y', 'a/lib-a/y.ts', 'b/lib-b/y.ts'],
      ['#z', 'a/z-a.ts', 'b/z-b.ts'],
      ['lodash/fp', 'external lodash', 'external lodash'],
    ]) {
      expect([target(fromA(specifier)), target(fromB(specifier))]).toEqual([inA, inB]);
      // `resolve` gives the same, and so does a resolver that saw the other folder first.
      expect([target(resolver.resolve('a/main.ts', specifier)), target(resolver.resolve('b/main.ts', specifier))]).toEqual([inA, inB]);
      const other = new Resolver({ root: tmp.dir, modules: modules() });
      expect([target(other.resolve('b/main.ts', specifier)), target(other.resolve('a/main.ts', specifier))]).toEqual([inB, inA]);
    }
  });

  it('maps script extensions to TypeScript sources only where they are extensions', () => {
    const resolve = new Resolver({ root: tmp.dir, modules: modules() }).resolverFor('a/main.ts');
    expect(target(resolve('./esm.js'))).toBe('a/esm.ts');
    expect(target(resolve('./view.jsx'))).toBe('a/view.tsx');
    expect(target(resolve('./mod.mjs'))).toBe('a/mod.mts');
    expect(target(resolve('./x.js?raw'))).toBe('a/x.ts');
    expect(target(resolve('./.js'))).toBe('a/.js.ts');
    expect(target(resolve('./v1.2/x'))).toBe('a/v1.2/x.ts');
    expect(target(resolve('./v1.2/x.js'))).toBe('a/v1.2/x.ts');
    expect(target(resolve('./missing.js'))).toBe('unresolved');
  });
});
