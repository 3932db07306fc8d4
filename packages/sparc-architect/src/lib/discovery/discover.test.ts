import { discoverFiles } from './discover';
import { tempDir, writeFiles, type TempDir } from '../../__tests__/helpers';

describe('discovering source files', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('discover');
    await writeFiles(tmp.dir, {
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': '',
      'src/b.tsx': '',
      'src/c.mts': '',
      'src/d.cjs': '',
      'src/e.jsx': '',
      'src/types.d.ts': '',
      'src/styles.css': '',
      'src/x.gen.ts': '',
      'src/nested/.gitignore': 'secret.ts\n',
      'src/nested/secret.ts': '',
      'src/nested/kept.ts': '',
      'src/__tests__/a.test.ts': '',
      'generated/g.ts': '',
      'node_modules/pkg/index.js': '',
      'dist/index.js': '',
      'lib/util.js': '',
    });
  });
  afterAll(() => tmp.cleanup());

  it('finds JS/TS sources, skipping .d.ts, dependencies, build output and what .gitignore files ignore', async () => {
    const files = await discoverFiles({ root: tmp.dir });
    expect(files.map((f) => f.path)).toEqual(['lib/util.js', 'src/__tests__/a.test.ts', 'src/a.ts', 'src/b.tsx', 'src/c.mts', 'src/d.cjs', 'src/e.jsx', 'src/nested/kept.ts']);
    expect(files.every((f) => f.size === 0 && f.mtimeMs > 0)).toBe(true);
  });

  it('limits to src folders and include/exclude globs', async () => {
    const files = await discoverFiles({ root: tmp.dir, src: ['src'], include: ['**/*.ts', '**/*.tsx'], exclude: ['**/__tests__/**'] });
    expect(files.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.tsx', 'src/nested/kept.ts']);
  });

  it('can ignore .gitignore', async () => {
    const files = await discoverFiles({ root: tmp.dir, src: ['src/nested', 'generated'], gitignore: false });
    expect(files.map((f) => f.path)).toEqual(['generated/g.ts', 'src/nested/kept.ts', 'src/nested/secret.ts']);
  });

  it('honours a nested .gitignore when the src folder is below it', async () => {
    const files = await discoverFiles({ root: tmp.dir, src: ['src/nested'] });
    expect(files.map((f) => f.path)).toEqual(['src/nested/kept.ts']);
  });

  it('names a src folder that does not exist', async () => {
    await expect(discoverFiles({ root: tmp.dir, src: ['nope'] })).rejects.toThrow('src folder "nope" does not exist');
    await expect(discoverFiles({ root: tmp.dir, src: ['../outside'] })).rejects.toThrow('outside the workspace');
  });
});
