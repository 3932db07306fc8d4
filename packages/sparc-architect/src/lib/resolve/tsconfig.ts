import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseJsonc } from './jsonc';

/** One `paths` entry: `"@app/*": ["src/app/*"]`, targets absolute. */
export interface PathMapping {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

/** What resolution needs from a tsconfig, after `extends`; paths are absolute. */
export interface TsconfigInfo {
  file: string;
  baseUrl?: string;
  paths: PathMapping[];
  outDir?: string;
  rootDir?: string;
  /** With it, TypeScript keeps every import not marked `type`, so elided imports stay edges. */
  verbatimModuleSyntax: boolean;
  /** Problems met while loading (an `extends` that does not resolve, bad JSON), for the report. */
  problems: string[];
  /** Every config file read (the file and its `extends` chain), absolute. */
  files: string[];
}

interface RawOptions {
  baseUrl?: string;
  paths?: Record<string, string[]>;
  pathsBase?: string;
  outDir?: string;
  rootDir?: string;
  verbatimModuleSyntax?: boolean;
}

/** Loads a tsconfig with its `extends` chain (relative files and packages, one or several). */
export function loadTsconfig(file: string): TsconfigInfo {
  const problems: string[] = [];
  const seen = new Set<string>();
  const options = readChain(path.resolve(file), seen, problems);
  const paths: PathMapping[] = [];
  const pathsBase = options.baseUrl ?? options.pathsBase ?? path.dirname(file);
  for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf('*');
    paths.push({
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? '' : pattern.slice(star + 1),
      wildcard: star >= 0,
      targets: targets.filter((t): t is string => typeof t === 'string').map((t) => path.resolve(pathsBase, t)),
    });
  }
  // TypeScript prefers an exact pattern, then the wildcard pattern with the longest prefix.
  paths.sort((a, b) => Number(a.wildcard) - Number(b.wildcard) || b.prefix.length - a.prefix.length);
  return { file: path.resolve(file), baseUrl: options.baseUrl, paths, outDir: options.outDir, rootDir: options.rootDir, verbatimModuleSyntax: options.verbatimModuleSyntax === true, problems, files: [...seen] };
}

function readChain(file: string, seen: Set<string>, problems: string[]): RawOptions {
  if (seen.has(file)) {
    problems.push(`${file}: extends itself in a cycle`);
    return {};
  }
  seen.add(file);
  let json: { extends?: unknown; compilerOptions?: Record<string, unknown> };
  try {
    json = parseJsonc(readFileSync(file, 'utf8')) as typeof json;
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    return {};
  }
  const dir = path.dirname(file);
  let merged: RawOptions = {};
  const parents = typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends.filter((e): e is string => typeof e === 'string') : [];
  for (const parent of parents) {
    const parentFile = resolveExtends(parent, dir);
    if (parentFile === undefined) {
      problems.push(`${file}: extends "${parent}", which does not resolve`);
      continue;
    }
    merged = { ...merged, ...readChain(parentFile, seen, problems) };
  }
  const own = json.compilerOptions ?? {};
  if (typeof own.baseUrl === 'string') merged.baseUrl = path.resolve(dir, own.baseUrl);
  if (own.paths && typeof own.paths === 'object') {
    merged.paths = own.paths as Record<string, string[]>;
    merged.pathsBase = dir;
  }
  if (typeof own.outDir === 'string') merged.outDir = path.resolve(dir, own.outDir);
  if (typeof own.rootDir === 'string') merged.rootDir = path.resolve(dir, own.rootDir);
  if (typeof own.verbatimModuleSyntax === 'boolean') merged.verbatimModuleSyntax = own.verbatimModuleSyntax;
  return merged;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `./base`, `../tsconfig.base.json`, `@tsconfig/node20/tsconfig.json`, `@tsconfig/strictest`. */
export function resolveExtends(specifier: string, fromDir: string): string | undefined {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    const file = path.resolve(fromDir, specifier);
    if (isFile(file)) return file;
    if (!file.endsWith('.json') && isFile(`${file}.json`)) return `${file}.json`;
    return undefined;
  }
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', specifier);
    if (isFile(candidate)) return candidate;
    if (isFile(`${candidate}.json`)) return `${candidate}.json`;
    if (existsSync(candidate)) {
      const pkgTsconfig = readPackageTsconfigField(candidate);
      if (pkgTsconfig && isFile(path.join(candidate, pkgTsconfig))) return path.join(candidate, pkgTsconfig);
      if (isFile(path.join(candidate, 'tsconfig.json'))) return path.join(candidate, 'tsconfig.json');
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readPackageTsconfigField(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { tsconfig?: unknown };
    return typeof pkg.tsconfig === 'string' ? pkg.tsconfig : undefined;
  } catch {
    return undefined;
  }
}
