import { camelCase, kebabCase, type Workspace } from '@sparc/batch-core';
import { glob } from 'tinyglobby';
import { GenerateOptionsError } from '../../errors';
import type { GeneratedFile, GeneratorOutput } from '../types';

export interface PackageInput {
  /** Any case; the folder and the unscoped package name are its kebab-case. */
  name: string;
  /** Parent folder of the package. @default the folder of the first `<dir>/*` workspace pattern, else `packages` */
  dir?: string;
  description?: string;
}

interface RootFacts {
  /** The root package.json as text, or undefined when there is none. */
  manifestText?: string;
  manifest: Record<string, unknown>;
  workspaces: string[];
  scope?: string;
  /** Workspace-relative shared tsconfig to extend, when the root has one. */
  baseTsconfig?: string;
  /** Workspace-relative shared jest preset, when the root has one. */
  jestPreset?: string;
}

/**
 * A new workspace package laid out like the others (package.json with build/typecheck/test,
 * tsconfig.json + tsconfig.lib.json, jest config, src/index.ts, src/lib/<name>.ts and its test)
 * and wired into the monorepo: the root `workspaces` gets the folder when no pattern covers it.
 */
export async function packageGenerator(workspace: Workspace, input: PackageInput): Promise<GeneratorOutput> {
  const kebab = kebabCase(input.name);
  if (kebab === '') throw new GenerateOptionsError(`package name "${input.name}" has no letters or digits`, [{ path: 'name', message: 'needs letters or digits' }]);
  const fn = camelCase(input.name);
  const root = await rootFacts(workspace);
  const parent = (input.dir ?? defaultParent(root.workspaces)).replace(/\/+$/, '');
  const dir = parent === '' || parent === '.' ? kebab : `${parent}/${kebab}`;
  const packageName = root.scope ? `${root.scope}/${kebab}` : kebab;
  const up = dir.split('/').map(() => '..').join('/');
  const description = input.description?.trim() || `The ${kebab} package`;

  const manifest = {
    name: packageName,
    version: '0.1.0',
    description,
    ...(typeof root.manifest.license === 'string' ? { license: root.manifest.license } : {}),
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    files: ['dist'],
    scripts: { build: 'tsc -p tsconfig.lib.json', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'jest' },
  };
  const compilerBase = root.baseTsconfig ? { extends: `${up}/${root.baseTsconfig}` } : {};
  const standalone = root.baseTsconfig ? {} : { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, esModuleInterop: true, skipLibCheck: true, declaration: true };
  const tsconfig = { ...compilerBase, compilerOptions: { ...standalone, noEmit: true, types: ['node', 'jest'] }, include: ['src/**/*.ts'] };
  const tsconfigLib = {
    ...compilerBase,
    compilerOptions: { ...standalone, outDir: 'dist', rootDir: 'src', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.test.ts', 'src/**/__tests__/**', 'src/**/__fixtures__/**'],
  };
  const jestConfig = root.jestPreset
    ? `module.exports = { ...require('${up}/${root.jestPreset}'), displayName: '${kebab}', rootDir: __dirname };\n`
    : `module.exports = {\n  displayName: '${kebab}',\n  testEnvironment: 'node',\n  transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },\n  testMatch: ['<rootDir>/src/**/*.test.ts'],\n};\n`;

  const files: GeneratedFile[] = [
    { path: `${dir}/package.json`, content: json(manifest) },
    { path: `${dir}/tsconfig.json`, content: json(tsconfig) },
    { path: `${dir}/tsconfig.lib.json`, content: json(tsconfigLib) },
    { path: `${dir}/jest.config.js`, content: jestConfig },
    { path: `${dir}/README.md`, content: `# ${packageName}\n\n${description}.\n\n\`\`\`ts\nimport { ${fn} } from '${packageName}';\n\`\`\`\n` },
    { path: `${dir}/src/index.ts`, content: `export { ${fn} } from './lib/${kebab}';\n` },
    { path: `${dir}/src/lib/${kebab}.ts`, content: `/** ${description.replace(/\*\//g, '*\\/')}. */\nexport function ${fn}(): string {\n  return '${packageName}';\n}\n` },
    {
      path: `${dir}/src/lib/${kebab}.test.ts`,
      content: `import { ${fn} } from './${kebab}';\n\ndescribe('${fn}', () => {\n  it('returns the package name', () => {\n    expect(${fn}()).toBe('${packageName}');\n  });\n});\n`,
    },
  ];
  const notes: string[] = [];
  if (root.manifestText !== undefined && !root.workspaces.some((pattern) => matchesWorkspacePattern(pattern, dir))) {
    files.push({ path: 'package.json', patch: (current) => addWorkspace(current ?? root.manifestText ?? '{}', dir) });
    notes.push(`added "${dir}" to the root package.json workspaces`);
  }
  if (root.manifestText !== undefined) notes.push(`run "npm install" at the workspace root to link ${packageName}`);
  return { files, notes };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function rootFacts(workspace: Workspace): Promise<RootFacts> {
  let manifestText: string | undefined;
  try {
    manifestText = (await workspace.readFile('package.json')).toString('utf8');
  } catch {
    manifestText = undefined;
  }
  let manifest: Record<string, unknown> = {};
  if (manifestText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(manifestText);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, unknown>;
    } catch (error) {
      throw new GenerateOptionsError(`the root package.json is not valid JSON: ${(error as Error).message}`, [{ path: 'package.json', message: 'not valid JSON' }]);
    }
  }
  const workspaces = workspacePatterns(manifest);
  const facts: RootFacts = { manifestText, manifest, workspaces };
  facts.scope = await packageScope(workspace, workspaces, manifest);
  for (const candidate of ['tsconfig.base.json', 'tsconfig.json']) {
    if (await workspace.exists(candidate)) {
      facts.baseTsconfig = candidate;
      break;
    }
  }
  if (await workspace.exists('jest.preset.js')) facts.jestPreset = 'jest.preset.js';
  return facts;
}

function workspacePatterns(manifest: Record<string, unknown>): string[] {
  const field = manifest.workspaces;
  const list = Array.isArray(field) ? field : field !== null && typeof field === 'object' ? (field as { packages?: unknown }).packages : undefined;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

function defaultParent(patterns: string[]): string {
  for (const pattern of patterns) {
    const match = /^([\w.-]+(?:\/[\w.-]+)*)\/\*$/.exec(pattern);
    if (match) return match[1];
  }
  return 'packages';
}

/** The scope most existing workspace packages share (`@sparc`), else the root package's scope. */
async function packageScope(workspace: Workspace, patterns: string[], manifest: Record<string, unknown>): Promise<string | undefined> {
  const counts = new Map<string, number>();
  if (patterns.length > 0) {
    const manifests = await glob(
      patterns.map((p) => `${p.replace(/\/+$/, '')}/package.json`),
      { cwd: workspace.root, ignore: ['**/node_modules/**'], onlyFiles: true },
    );
    for (const file of manifests) {
      try {
        const name = (JSON.parse((await workspace.readFile(file)).toString('utf8')) as { name?: unknown }).name;
        const scope = typeof name === 'string' ? /^(@[^/]+)\//.exec(name)?.[1] : undefined;
        if (scope) counts.set(scope, (counts.get(scope) ?? 0) + 1);
      } catch {
        // An unreadable sibling manifest says nothing about the scope.
      }
    }
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (best) return best[0];
  const rootName = typeof manifest.name === 'string' ? manifest.name : '';
  return /^(@[^/]+)\//.exec(rootName)?.[1];
}

/** Whether a workspaces pattern (`packages/*`, `libs/**`, `tools/cli`) covers `dir`. */
export function matchesWorkspacePattern(pattern: string, dir: string): boolean {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i];
    if (char === '*' && clean[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(dir);
}

/** The root manifest with `dir` added to its workspaces, in the file's own indentation. */
export function addWorkspace(text: string, dir: string): string {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const field = manifest.workspaces;
  if (Array.isArray(field)) manifest.workspaces = [...field, dir];
  else if (field !== null && typeof field === 'object' && Array.isArray((field as { packages?: unknown }).packages)) {
    manifest.workspaces = { ...(field as object), packages: [...((field as { packages: unknown[] }).packages), dir] };
  } else manifest.workspaces = [dir];
  return `${JSON.stringify(manifest, null, indent)}\n`;
}
