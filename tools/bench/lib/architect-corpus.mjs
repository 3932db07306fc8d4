/**
 * Corpora for the architect benchmark: real packages installed from npm into a temp folder with
 * the ordinary npm client (pinned versions), and synthetic monorepos of a given size.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The real corpora. `folders` are what every tool analyses (relative to the package root);
 * `tsconfig` is written into the package root when it ships none, so all tools resolve alike.
 */
export const REAL_CORPORA = [
  {
    name: 'effect',
    spec: 'effect@4.1.0',
    folders: ['src'],
    language: 'ts',
    // effect 4 imports its own files with `.ts` extensions.
    tsconfig: { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, strict: true }, include: ['src'] },
  },
  {
    name: 'three',
    spec: 'three@0.187.0',
    folders: ['src', 'examples/jsm'],
    language: 'js',
    tsconfig: undefined,
  },
];

/**
 * `npm pack` (no dependencies, no install scripts) then untar into `<dir>/<name>`; the package
 * root holds only what the tarball holds, plus a tsconfig.json when the corpus needs one.
 */
export async function installCorpus(corpus, dir, log = () => {}) {
  const target = path.join(dir, corpus.name);
  const packDir = path.join(dir, '.pack');
  await fs.mkdir(packDir, { recursive: true });
  log(`  npm pack ${corpus.spec}`);
  const { stdout } = await execFileAsync('npm', ['pack', corpus.spec, '--pack-destination', packDir, '--silent'], { maxBuffer: 1 << 20 });
  const tarball = path.join(packDir, stdout.trim().split('\n').pop());
  await fs.mkdir(target, { recursive: true });
  await execFileAsync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  if (corpus.tsconfig) await fs.writeFile(path.join(target, 'tsconfig.json'), `${JSON.stringify(corpus.tsconfig, null, 2)}\n`);
  return target;
}

/** Files and bytes of the source files (the extensions the tools analyse) under the folders. */
export async function measureCorpus(root, folders, extensions) {
  let files = 0;
  let bytes = 0;
  const walk = async (dir) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') await walk(abs);
      } else if (extensions.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) {
        files++;
        bytes += (await fs.stat(abs)).size;
      }
    }
  };
  for (const folder of folders) await walk(path.join(root, folder));
  return { files, bytes };
}

/** A deterministic pseudo-random sequence (so every run builds the same repo). */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const SYNTHETIC_PACKAGE_SIZE = 500;
const FOLDER_SIZE = 25;

/**
 * A synthetic TypeScript monorepo of `modules` modules: packages of 500 modules (`@syn/pkg-N`,
 * npm workspaces, tsconfig outDir `lib`/rootDir `src`), folders of 25 modules. Each module has a
 * few imports of earlier modules in its package, a type-only import and an import used only as a
 * type (both vanish at run time), now and then a back edge (making cycles), and in packages after
 * the first an import of another package — by name or by its build output (`@syn/pkg-0/lib/...`),
 * which only workspace mapping resolves. About 2 KB of code per module.
 */
export async function writeSyntheticRepo(root, modules, seed = 42) {
  const random = prng(seed);
  const packages = Math.max(1, Math.ceil(modules / SYNTHETIC_PACKAGE_SIZE));
  await fs.mkdir(root, { recursive: true });
  await fs.writeFile(path.join(root, 'package.json'), `${JSON.stringify({ name: 'synthetic', private: true, workspaces: ['packages/*'] }, null, 2)}\n`);
  await fs.writeFile(path.join(root, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, noEmit: true } }, null, 2)}\n`);
  const fileOf = (i) => {
    const local = i % SYNTHETIC_PACKAGE_SIZE;
    return `f${Math.floor(local / FOLDER_SIZE)}/m${local}`;
  };
  for (let p = 0; p < packages; p++) {
    const pkgDir = path.join(root, 'packages', `pkg-${p}`);
    await fs.mkdir(pkgDir, { recursive: true });
    await fs.writeFile(path.join(pkgDir, 'package.json'), `${JSON.stringify({ name: `@syn/pkg-${p}`, version: '1.0.0', main: './lib/index.js', types: './lib/index.d.ts' }, null, 2)}\n`);
    await fs.writeFile(path.join(pkgDir, 'tsconfig.json'), `${JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { outDir: 'lib', rootDir: 'src' } }, null, 2)}\n`);
    const first = p * SYNTHETIC_PACKAGE_SIZE;
    const last = Math.min(modules, first + SYNTHETIC_PACKAGE_SIZE);
    const exports = [];
    for (let i = first; i < last; i++) {
      const local = i - first;
      const file = fileOf(i);
      const depth = file.split('/').length - 1;
      const up = depth === 0 ? './' : '../'.repeat(depth);
      const lines = [];
      const uses = [];
      const picks = new Set();
      const count = local === 0 ? 0 : 2 + Math.floor(random() * 3);
      for (let k = 0; k < count; k++) picks.add(first + Math.floor(random() * local));
      // Now and then an edge back to a later module: cycles.
      if (local > 10 && local < last - first - 1 && random() < 0.04) picks.add(first + local + 1 + Math.floor(random() * Math.min(20, last - first - local - 1)));
      for (const j of picks) {
        lines.push(`import { value${j} } from '${up}${fileOf(j)}';`);
        uses.push(`value${j}`);
      }
      if (local > 1) {
        const t = first + Math.floor(random() * local);
        lines.push(`import type { Shape${t} } from '${up}${fileOf(t)}';`);
        const e = first + Math.floor(random() * local);
        if (!picks.has(e)) lines.push(`import { Shape${e} as Elided${e} } from '${up}${fileOf(e)}';`);
      }
      if (p > 0 && local % 7 === 3) {
        const other = Math.floor(random() * p);
        const target = other * SYNTHETIC_PACKAGE_SIZE + Math.floor(random() * Math.min(SYNTHETIC_PACKAGE_SIZE, modules - other * SYNTHETIC_PACKAGE_SIZE));
        if (random() < 0.5) lines.push(`import { value${target} as external${target} } from '@syn/pkg-${other}';`);
        else lines.push(`import { value${target} as external${target} } from '@syn/pkg-${other}/lib/${fileOf(target)}';`);
        uses.push(`external${target}`);
      }
      const typeLines = lines.some((l) => l.includes('Elided')) ? lines.filter((l) => l.includes('Elided')).map((l) => /Elided(\d+)/.exec(l)[1]) : [];
      lines.push(
        '',
        `/** Module ${i}: a shape, a value and a function that uses its imports. */`,
        `export interface Shape${i} {`,
        '  id: number;',
        '  name: string;',
        `  children: Array<Shape${i}>;`,
        '  meta?: Record<string, unknown>;',
        '}',
        '',
        `export const value${i} = { id: ${i}, name: 'm${i}', children: [] as Shape${i}[] };`,
        '',
        `export function compute${i}(input: ReadonlyArray<number>${typeLines.length > 0 ? `, shape?: Elided${typeLines[0]}` : ''}): number {`,
        `  // combine the imports so they are used as values`,
        `  const parts = [${uses.join(', ')}].length;`,
        '  let total = 0;',
        '  for (let i = 0; i < input.length; i++) {',
        '    total += input[i] * (i % 3 === 0 ? 2 : 1);',
        '  }',
        `  return total + parts + ${i} / 2;`,
        '}',
        '',
        `export class Service${i}<T extends object = Shape${i}> {`,
        '  private readonly cache = new Map<string, T>();',
        '  get(key: string): T | undefined {',
        '    return this.cache.get(key);',
        '  }',
        '  set(key: string, entry: T): this {',
        '    this.cache.set(key, entry);',
        '    return this;',
        '  }',
        '}',
        '',
      );
      const abs = path.join(pkgDir, 'src', `${file}.ts`);
      await fs.mkdir(path.dirname(abs), { recursive: true });
      await fs.writeFile(abs, lines.join('\n'));
      exports.push(`export * from './${fileOf(i)}';`);
    }
    await fs.writeFile(path.join(pkgDir, 'src', 'index.ts'), `${exports.join('\n')}\n`);
  }
  return { root, folders: ['packages'], modules: modules + packages };
}
