import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PackageJson } from './package-json';

export interface WorkspacePackage {
  name: string;
  /** Workspace-relative folder ('' for the root package). */
  dir: string;
  manifest: PackageJson;
}

/**
 * The packages of an npm/yarn (`workspaces` in package.json) or pnpm (`pnpm-workspace.yaml`)
 * workspace at `root`, by name. Empty when the root declares no workspaces.
 */
export function findWorkspacePackages(root: string): Map<string, WorkspacePackage> {
  const patterns = [...npmPatterns(root), ...pnpmPatterns(root)];
  const packages = new Map<string, WorkspacePackage>();
  if (patterns.length === 0) return packages;
  const positive = patterns.filter((p) => !p.startsWith('!')).map((p) => `${stripSlash(p)}/package.json`);
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => `${stripSlash(p.slice(1))}/package.json`);
  // Loaded here: most runs without workspace globs never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { globSync } = require('tinyglobby') as typeof import('tinyglobby');
  const manifests = globSync(positive, { cwd: root, ignore: ['**/node_modules/**', ...negative], followSymbolicLinks: false });
  for (const manifestPath of manifests.sort()) {
    const manifest = readJson(path.join(root, manifestPath));
    if (!manifest || typeof manifest.name !== 'string') continue;
    const dir = path.posix.dirname(manifestPath.split(path.sep).join('/'));
    if (!packages.has(manifest.name)) packages.set(manifest.name, { name: manifest.name, dir: dir === '.' ? '' : dir, manifest });
  }
  return packages;
}

function stripSlash(pattern: string): string {
  return pattern.replace(/^\.\//, '').replace(/\/+$/, '');
}

function npmPatterns(root: string): string[] {
  const manifest = readJson(path.join(root, 'package.json'));
  const workspaces = manifest?.workspaces;
  if (Array.isArray(workspaces)) return workspaces.filter((w): w is string => typeof w === 'string');
  if (workspaces && typeof workspaces === 'object' && Array.isArray((workspaces as { packages?: unknown }).packages)) {
    return ((workspaces as { packages: unknown[] }).packages).filter((w): w is string => typeof w === 'string');
  }
  return [];
}

/** The `packages:` list of pnpm-workspace.yaml (a plain YAML sequence of strings). */
function pnpmPatterns(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages) continue;
    const item = /^\s+-\s*(.+?)\s*$/.exec(line);
    if (item) out.push(item[1].replace(/^['"]|['"]$/g, '').replace(/\s+#.*$/, ''));
    else if (/^\S/.test(line)) inPackages = false;
  }
  return out;
}

export function readJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}
