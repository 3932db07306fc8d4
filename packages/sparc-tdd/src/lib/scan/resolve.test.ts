import { ModuleResolver, packageEntries } from './resolve';

describe('ModuleResolver', () => {
  const files = ['src/a.ts', 'src/b/index.ts', 'src/c.tsx', 'src/d.js', 'src/e.mts', 'packages/core/src/index.ts', 'packages/core/src/sub/x.ts', 'packages/core-extra/lib/main.ts'];
  const resolver = new ModuleResolver(files, [
    { name: '@acme/core', dir: 'packages/core', entries: ['dist/index.js'] },
    { name: '@acme/core-extra', dir: 'packages/core-extra', entries: ['lib/main.ts'] },
  ]);

  it('probes extensions and index files the way TypeScript does', () => {
    expect(resolver.resolve('src/x.test.ts', './a')).toBe('src/a.ts');
    expect(resolver.resolve('src/x.test.ts', './b')).toBe('src/b/index.ts');
    expect(resolver.resolve('src/x.test.ts', './c')).toBe('src/c.tsx');
    expect(resolver.resolve('test/x.test.ts', '../src/d')).toBe('src/d.js');
  });

  it('maps .js / .mjs written in TypeScript source to the .ts / .mts file', () => {
    expect(resolver.resolve('src/x.test.ts', './a.js')).toBe('src/a.ts');
    expect(resolver.resolve('src/x.test.ts', './e.mjs')).toBe('src/e.mts');
  });

  it('resolves workspace packages by name, from build output back to src, and subpaths', () => {
    expect(resolver.resolve('apps/x.test.ts', '@acme/core')).toBe('packages/core/src/index.ts');
    expect(resolver.resolve('apps/x.test.ts', '@acme/core/sub/x')).toBe('packages/core/src/sub/x.ts');
    expect(resolver.resolve('apps/x.test.ts', '@acme/core-extra')).toBe('packages/core-extra/lib/main.ts');
  });

  it('leaves what it cannot find unresolved', () => {
    expect(resolver.resolve('src/x.test.ts', './missing')).toBeUndefined();
    expect(resolver.resolve('src/x.test.ts', 'lodash')).toBeUndefined();
  });

  it('reads entry points from package.json, source-like first', () => {
    expect(packageEntries({ main: 'dist/index.js', types: 'dist/index.d.ts', exports: { '.': { import: './dist/index.mjs', require: './dist/index.js' } }, source: 'src/index.ts' })).toEqual([
      'src/index.ts',
      './dist/index.mjs',
      './dist/index.js',
      'dist/index.d.ts',
      'dist/index.js',
    ]);
  });
});
