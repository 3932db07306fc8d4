import * as path from 'node:path';

/** Extensions tried, in TypeScript's order, when a specifier leaves them out. */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./x.js` in TypeScript source (node16 style) names `./x.ts`. */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const OUTPUT_DIR = /^(?:\.\/)?(?:dist|lib|build|out)\//;

/** A workspace package a test may import by name (`@scope/pkg`, `@scope/pkg/sub`). */
export interface WorkspacePackage {
  name: string;
  /** Workspace-relative folder ('' for the root). */
  dir: string;
  /** Entry paths from package.json (`source`, `exports`, `types`, `module`, `main`), relative to `dir`. */
  entries: string[];
}

/**
 * Resolves module specifiers to the files the scan read, the way TypeScript's bundler/node16
 * resolution would for source trees: relative paths with extension and index probing, `.js`
 * written for `.ts`, and workspace packages by name (mapped back from build output to `src/`).
 */
export class ModuleResolver {
  readonly #files: ReadonlySet<string>;
  readonly #packages: WorkspacePackage[];
  readonly #cache = new Map<string, string | undefined>();

  constructor(files: Iterable<string>, packages: WorkspacePackage[] = []) {
    this.#files = new Set(files);
    // Longest names first, so `@a/b-c` wins over `@a/b` for `@a/b-c/x`.
    this.#packages = [...packages].sort((a, b) => b.name.length - a.name.length);
  }

  resolve(fromFile: string, specifier: string): string | undefined {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
    const key = relative ? `${path.posix.dirname(fromFile)}\0${specifier}` : specifier;
    if (this.#cache.has(key)) return this.#cache.get(key);
    const resolved = relative ? this.#resolvePath(path.posix.join(path.posix.dirname(fromFile), specifier)) : this.#resolvePackage(specifier);
    this.#cache.set(key, resolved);
    return resolved;
  }

  #resolvePath(target: string): string | undefined {
    const normalized = path.posix.normalize(target).replace(/^\.\//, '').replace(/\/$/, '');
    if (this.#files.has(normalized)) return normalized;
    const ext = path.posix.extname(normalized);
    for (const sourceExt of SOURCE_FOR_OUTPUT[ext] ?? []) {
      const candidate = normalized.slice(0, -ext.length) + sourceExt;
      if (this.#files.has(candidate)) return candidate;
    }
    for (const candidateExt of EXTENSIONS) if (this.#files.has(normalized + candidateExt)) return normalized + candidateExt;
    const index = normalized === '' || normalized === '.' ? 'index' : `${normalized}/index`;
    for (const candidateExt of EXTENSIONS) if (this.#files.has(index + candidateExt)) return index + candidateExt;
    return undefined;
  }

  #resolvePackage(specifier: string): string | undefined {
    const pkg = this.#packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
    if (pkg === undefined) return undefined;
    const join = (...parts: string[]) => path.posix.join(pkg.dir === '' ? '.' : pkg.dir, ...parts);
    if (specifier !== pkg.name) {
      const sub = specifier.slice(pkg.name.length + 1);
      return this.#resolvePath(join(sub)) ?? this.#resolvePath(join('src', sub));
    }
    for (const entry of pkg.entries) {
      const asSource = entry.replace(/\.d\.([mc]?)ts$/, '.$1ts');
      const found = this.#resolvePath(join(asSource)) ?? this.#resolvePath(join(asSource.replace(OUTPUT_DIR, 'src/')));
      if (found !== undefined) return found;
    }
    return this.#resolvePath(join('src', 'index')) ?? this.#resolvePath(join('index'));
  }
}

/** Entry paths of a package.json, most source-like first. */
export function packageEntries(manifest: Record<string, unknown>): string[] {
  const entries: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && !entries.includes(value)) entries.push(value);
  };
  add(manifest.source);
  const exportsField = manifest.exports;
  const dot = typeof exportsField === 'object' && exportsField !== null && !Array.isArray(exportsField) ? ((exportsField as Record<string, unknown>)['.'] ?? exportsField) : exportsField;
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') add(value);
    else if (typeof value === 'object' && value !== null && depth < 4) for (const key of ['source', 'types', 'import', 'require', 'default', 'node']) visit((value as Record<string, unknown>)[key], depth + 1);
  };
  visit(dot, 0);
  add(manifest.types);
  add(manifest.typings);
  add(manifest.module);
  add(manifest.main);
  return entries;
}
