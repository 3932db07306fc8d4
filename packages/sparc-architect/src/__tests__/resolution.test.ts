import { analyzeArchitecture, type ArchitectureAnalysis } from '../lib/analyze';
import { EDGE_RUNTIME } from '../lib/graph/build-graph';
import { dataOf, runArchitect, tempDir, writeFiles, type TempDir } from './helpers';

/** `from -> to` for every edge (with ` (type)` for type-only ones). */
function edges(a: ArchitectureAnalysis): string[] {
  const g = a.graph;
  return g.edgeFrom.map((from, e) => `${g.modules[from]} -> ${g.modules[g.edgeTo[e]]}${g.edgeFlags[e] & EDGE_RUNTIME ? '' : ' (type)'}`).sort();
}

const FIXTURE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', private: true, workspaces: ['packages/*'], imports: { '#internal/*': './src/internal/*.ts' } }),
  'tsconfig.base.json': '{\n  // paths come from the base config\n  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/app/*"], "~config": ["src/config/index.ts"], }, },\n}\n',
  'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: true } }),
  'src/main.ts': [
    "import { util } from './util';",
    "import { helper } from './helpers';",
    "import { esm } from './esm.js';",
    "import { feature } from '@app/feature';",
    "import config from '~config';",
    "import { secret } from '#internal/secret';",
    "import { Button } from '@fixture/ui';",
    "import { deep } from '@fixture/ui/lib/deep/thing';",
    "import lodash from 'lodash';",
    "import fs from 'node:fs';",
    "import missing from './missing';",
    "import data from './data.json';",
    "const lazy = () => import('./lazy');",
    "const legacy = require('./legacy.cjs');",
    'export const all = [util, helper, esm, feature, config, secret, Button, deep, lodash, fs, missing, data, lazy, legacy];',
  ].join('\n'),
  'src/util.ts': 'export const util = 1;\n',
  'src/helpers/index.ts': 'export const helper = 2;\n',
  'src/esm.ts': 'export const esm = 3;\n',
  'src/app/feature.ts': 'export const feature = 4;\n',
  'src/config/index.ts': 'export default { port: 1 };\n',
  'src/internal/secret.ts': 'export const secret = 5;\n',
  'src/lazy.ts': 'export default 6;\n',
  'src/legacy.cjs': "module.exports = require('./util-cjs');\n",
  'src/util-cjs.js': 'module.exports = 7;\n',
  'src/data.json': '{ "a": 1 }\n',
  'packages/ui/package.json': JSON.stringify({ name: '@fixture/ui', exports: { '.': { types: './lib/index.d.ts', default: './lib/index.js' }, './lib/*': './lib/*.js' } }),
  'packages/ui/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { outDir: 'lib', rootDir: 'src' } }),
  'packages/ui/src/index.ts': "export { Button } from './button';\n",
  'packages/ui/src/button.ts': 'export const Button = () => null;\n',
  'packages/ui/src/deep/thing.ts': 'export const deep = 8;\n',
};

describe('resolution like TypeScript and Node', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('resolution');
    await writeFiles(tmp.dir, FIXTURE);
  });
  afterAll(() => tmp.cleanup());

  it('resolves relative, index, .js→.ts, tsconfig paths (through extends), package imports, workspace exports and CommonJS', async () => {
    const a = await analyzeArchitecture({ root: tmp.dir, cache: false });
    expect(edges(a)).toEqual([
      'packages/ui/src/index.ts -> packages/ui/src/button.ts',
      'src/legacy.cjs -> src/util-cjs.js',
      'src/main.ts -> packages/ui/src/deep/thing.ts',
      'src/main.ts -> packages/ui/src/index.ts',
      'src/main.ts -> src/app/feature.ts',
      'src/main.ts -> src/config/index.ts',
      'src/main.ts -> src/esm.ts',
      'src/main.ts -> src/helpers/index.ts',
      'src/main.ts -> src/internal/secret.ts',
      'src/main.ts -> src/lazy.ts',
      'src/main.ts -> src/legacy.cjs',
      'src/main.ts -> src/util.ts',
    ]);
    expect(a.graph.unresolved).toEqual([{ from: 'src/main.ts', specifier: './missing', line: 11 }]);
    expect(a.graph.external.map((e) => `${e.name}${e.builtin ? ' (built-in)' : ''}`).sort()).toEqual(['lodash', 'node:fs (built-in)']);
    expect(a.graph.outside).toBe(1);
  });

  it('lists unresolved and external imports in the data instead of dropping them', async () => {
    const data = dataOf(await runArchitect(tmp.dir, { cache: false, format: [] }));
    expect(data.unresolved).toEqual([{ from: 'src/main.ts', specifier: './missing', line: 11 }]);
    expect(data.external).toEqual([
      { name: 'lodash', imports: 1, builtin: false },
      { name: 'node:fs', imports: 1, builtin: true },
    ]);
    expect(data.nonModuleImports).toBe(1);
    expect(data.workspaces).toEqual({ enabled: true, packages: 1, edges: 2 });
    expect(data.components.map((c) => `${c.name}:${c.kind}`)).toEqual(['@fixture/ui:package', 'src:folder', 'src/app:folder', 'src/config:folder', 'src/helpers:folder', 'src/internal:folder']);
  });

  it('with workspaces off, imports of workspace packages are external (what the peers see without node_modules)', async () => {
    const a = await analyzeArchitecture({ root: tmp.dir, cache: false, workspaces: false });
    expect(edges(a).filter((e) => e.includes('packages/ui') && e.startsWith('src/'))).toEqual([]);
    expect(a.graph.external.map((e) => e.name).sort()).toEqual(['@fixture/ui', '@fixture/ui', 'lodash', 'node:fs']);
    // Relative and tsconfig-path imports still resolve.
    expect(edges(a)).toContain('src/main.ts -> src/app/feature.ts');
  });

  it('uses an explicit tsconfig for every file when given one', async () => {
    await writeFiles(tmp.dir, { 'tsconfig.other.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/helpers/*'] } } }) });
    const a = await analyzeArchitecture({ root: tmp.dir, cache: false, tsconfig: 'tsconfig.other.json' });
    // '@app/feature' now looks in src/helpers/, where there is no feature.ts: a broken alias.
    expect(a.graph.unresolved.map((u) => u.specifier).sort()).toEqual(['./missing', '@app/feature']);
    // '~config' is no alias there, so it reads as a package name.
    expect(a.graph.external.map((e) => e.name)).toContain('~config');
  });
});

describe('a two-package workspace', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('workspace');
    await writeFiles(tmp.dir, {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
      'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n',
      'packages/core/package.json': JSON.stringify({ name: '@ws/core', main: './dist/index.js', types: './dist/index.d.ts' }),
      'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
      'packages/core/src/index.ts': "import { render } from '@ws/ui/lib/render';\nexport const core = () => render();\n",
      'packages/ui/package.json': JSON.stringify({ name: '@ws/ui', main: './lib/index.js' }),
      'packages/ui/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'lib', rootDir: 'src' } }),
      'packages/ui/src/index.ts': "export * from './render';\n",
      'packages/ui/src/render.ts': "import { core } from '@ws/core';\nexport const render = () => core;\n",
    });
  });
  afterAll(() => tmp.cleanup());

  it('maps package imports, including build-output paths, to sources, and finds the cross-package cycle', async () => {
    const data = dataOf(await runArchitect(tmp.dir, { cache: false, format: [] }));
    expect(data.cycles).toEqual([['packages/core/src/index.ts', 'packages/ui/src/render.ts']]);
    expect(data.components).toEqual([
      { name: '@ws/core', kind: 'package', modules: 1, fanIn: 1, fanOut: 1, instability: 0.5, inCycle: true, dependsOn: [{ name: '@ws/ui', edges: 1 }] },
      { name: '@ws/ui', kind: 'package', modules: 2, fanIn: 1, fanOut: 1, instability: 0.5, inCycle: true, dependsOn: [{ name: '@ws/core', edges: 1 }] },
    ]);
    expect(data.workspaces).toEqual({ enabled: true, packages: 2, edges: 2 });
  });

  it('without workspace mapping the cross-package edges (and the cycle) are not seen', async () => {
    const data = dataOf(await runArchitect(tmp.dir, { cache: false, format: [], workspaces: false }));
    expect(data.cycles).toEqual([]);
    expect(data.external.map((e) => e.name)).toEqual(['@ws/core', '@ws/ui']);
  });
});

describe('a package importing itself by name', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('self-reference');
    await writeFiles(tmp.dir, {
      'package.json': JSON.stringify({ name: 'lib', exports: { '.': './dist/index.js', './*': './dist/*.js' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
      'src/index.ts': "export * from './a';\n",
      'src/a.ts': "import { b } from 'lib/b';\nexport const a = () => b;\n",
      'src/b.ts': "import { a } from 'lib';\nexport const b = () => a;\n",
    });
  });
  afterAll(() => tmp.cleanup());

  it('resolves the self-reference through exports to the sources (and only with package mapping on)', async () => {
    expect(edges(await analyzeArchitecture({ root: tmp.dir, cache: false }))).toEqual(['src/a.ts -> src/b.ts', 'src/b.ts -> src/index.ts', 'src/index.ts -> src/a.ts']);
    expect(edges(await analyzeArchitecture({ root: tmp.dir, cache: false, workspaces: false }))).toEqual(['src/index.ts -> src/a.ts']);
  });
});
