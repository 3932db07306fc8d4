import { existsSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { mapSubpath, type PackageJson } from './package-json';
import { dirOf, joinRel, JS_TO_TS, matchPattern, scriptExtension, splitPackageSpecifier, stripQuery } from './specifiers';
import { loadTsconfig, type TsconfigInfo } from './tsconfig';
import { findWorkspacePackages, readJson, type WorkspacePackage } from './workspaces';

/** Where an import leads. */
export type Resolution =
  /**
   * A module of the analysis (workspace-relative path). `via` says which mechanism found it;
   * `index`, when known, is its position in the sorted module list.
   */
  | { kind: 'module'; path: string; via: ResolutionVia; index?: number }
  /** An npm package (or a Node built-in) that is not part of the workspace. */
  | { kind: 'external'; name: string; builtin: boolean }
  /** A file that exists but is not analysed: JSON, CSS, a file outside `--src` or excluded. */
  | { kind: 'outside'; path: string }
  | { kind: 'unresolved' };

export type ResolutionVia = 'relative' | 'paths' | 'baseUrl' | 'imports' | 'workspace';

export interface ResolverOptions {
  /** Absolute workspace root. */
  root: string;
  /** The analysed modules, workspace-relative. */
  modules: ReadonlySet<string>;
  /** A tsconfig (workspace-relative) for every file; otherwise each file uses its nearest tsconfig.json. */
  tsconfig?: string;
  /** Map imports of workspace packages (npm/yarn/pnpm) to their sources. @default true */
  workspaces?: boolean;
}

/** Extensions tried after an extensionless specifier, in TypeScript's order, then JavaScript's. */
const PROBE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Folders that usually hold build output; imports of them map back to `src` when no tsconfig says otherwise. */
const OUTPUT_DIRS = new Set(['dist', 'lib', 'build', 'out', 'esm', 'cjs', 'es', 'types', 'dts']);
const DECLARATION_EXT = /\.d\.([cm]?)ts$/;
const ENTRY_FIELDS = ['source', 'types', 'typings', 'module', 'main'] as const;

interface OutputMapping {
  outDir: string;
  rootDir: string;
}

/**
 * Resolves import specifiers the way TypeScript and Node do: relative paths with extension and
 * index probing, `.js` specifiers naming `.ts` sources, tsconfig `paths`/`baseUrl` (with `extends`),
 * package.json `imports`/`exports`, and workspace packages mapped to their sources, including
 * imports of a package's build output (`@scope/pkg/lib/x` → `packages/pkg/src/x.ts`) through its
 * tsconfig `outDir`/`rootDir`. Works on workspace-relative paths; results are cached.
 */
export class Resolver {
  readonly root: string;
  readonly modules: ReadonlySet<string>;
  readonly packages: Map<string, WorkspacePackage>;
  /** Problems met in configuration files (tsconfig `extends` that do not resolve...). */
  readonly problems: string[] = [];
  /**
   * Every fact about the disk a resolution depended on (`s:` file stats, `e:` existence, `f:` is a
   * file), so a later run can check that its cached resolutions still hold.
   */
  readonly observed = new Map<string, string>();
  readonly #explicitTsconfig: TsconfigInfo | undefined;
  readonly #tsconfigByDir = new Map<string, TsconfigInfo | null>();
  readonly #tsconfigByFile = new Map<string, TsconfigInfo>();
  readonly #exists = new Map<string, boolean>();
  readonly #manifestByDir = new Map<string, { dir: string; manifest: PackageJson } | null>();
  readonly #mappings = new Map<string, OutputMapping[]>();
  /**
   * Resolutions by specifier, per scope: relative specifiers resolve the same from every file of
   * a folder, `#` ones likewise, and bare ones the same for every file under one tsconfig.
   */
  readonly #relativeCache = new Map<string, Map<string, Resolution>>();
  readonly #importsFieldCache = new Map<string, Map<string, Resolution>>();
  readonly #bareCache = new Map<TsconfigInfo | undefined, Map<string, Resolution>>();
  /** Relative imports by the path they name: `../a/x` from `src/b` and `./x` from `src/a` are one lookup. */
  readonly #relativeTargets = new Map<string, Resolution>();
  /** The workspace root's own package, for imports of itself by name. */
  readonly #rootPackage: WorkspacePackage | undefined;
  /** Package folders longest first, to find the package of a file. */
  readonly #packageDirs: WorkspacePackage[];

  constructor(options: ResolverOptions) {
    this.root = options.root;
    this.modules = options.modules;
    this.packages = options.workspaces === false ? new Map() : findWorkspacePackages(options.root);
    if (options.workspaces !== false) {
      // A package may import itself by name (Node's self-reference through `exports`).
      const rootManifest = this.#readManifest(path.join(options.root, 'package.json'));
      if (rootManifest && typeof rootManifest.name === 'string' && !this.packages.has(rootManifest.name)) {
        this.#rootPackage = { name: rootManifest.name, dir: '', manifest: rootManifest };
      }
    }
    this.#packageDirs = [...this.packages.values()].sort((a, b) => b.dir.length - a.dir.length);
    if (options.tsconfig !== undefined) {
      this.#explicitTsconfig = this.#loadTsconfig(path.resolve(options.root, options.tsconfig));
    }
  }

  /** The workspace package a file belongs to, if any. */
  packageOf(file: string): WorkspacePackage | undefined {
    for (const pkg of this.#packageDirs) {
      if (pkg.dir === '' || file === pkg.dir || file.startsWith(`${pkg.dir}/`)) return pkg;
    }
    return undefined;
  }

  /** The tsconfig that governs a file: the explicit one, or the nearest tsconfig.json above it. */
  tsconfigFor(file: string): TsconfigInfo | undefined {
    if (this.#explicitTsconfig !== undefined) return this.#explicitTsconfig;
    const dir = path.posix.dirname(file);
    return this.#nearestTsconfig(dir === '.' ? '' : dir);
  }

  resolve(from: string, specifier: string): Resolution {
    return this.resolverFor(from)(specifier);
  }

  /**
   * Resolves the imports of one file: for each specifier, what `resolve(from, specifier)` gives,
   * with what depends only on the file (its folder, its tsconfig, their caches) looked up once.
   */
  resolverFor(from: string): (specifier: string) => Resolution {
    const fromDir = dirOf(from);
    let relative: Map<string, Resolution> | undefined;
    let importsField: Map<string, Resolution> | undefined;
    let bare: Map<string, Resolution> | undefined;
    return (rawSpecifier) => {
      const specifier = rawSpecifier.includes('?') ? stripQuery(rawSpecifier) : rawSpecifier;
      const first = specifier.charCodeAt(0);
      let byScope: Map<string, Resolution>;
      if (first === 46 || first === 47) byScope = relative ??= scopeIn(this.#relativeCache, fromDir);
      else if (first === 35) byScope = importsField ??= scopeIn(this.#importsFieldCache, fromDir);
      else byScope = bare ??= scopeIn(this.#bareCache, this.tsconfigFor(from));
      let result = byScope.get(specifier);
      if (result === undefined) {
        result = this.#resolveUncached(from, fromDir, specifier);
        byScope.set(specifier, result);
      }
      return result;
    };
  }

  #resolveUncached(from: string, fromDir: string, specifier: string): Resolution {
    if (specifier === '') return { kind: 'unresolved' };
    if (specifier.startsWith('.')) {
      const rel = joinRel(fromDir, specifier);
      let target = this.#relativeTargets.get(rel);
      if (target === undefined) this.#relativeTargets.set(rel, (target = this.#probe(rel, 'relative') ?? { kind: 'unresolved' }));
      return target;
    }
    if (specifier.startsWith('/')) {
      const rel = path.relative(this.root, specifier).split(path.sep).join('/');
      if (rel.startsWith('..')) return { kind: 'unresolved' };
      return this.#probe(rel, 'relative') ?? { kind: 'unresolved' };
    }
    if (specifier.startsWith('#')) return this.#resolveImportsField(fromDir, specifier) ?? { kind: 'unresolved' };
    return this.#resolveBare(from, specifier);
  }

  #resolveBare(from: string, specifier: string): Resolution {
    if (isBuiltin(specifier)) return { kind: 'external', name: specifier.startsWith('node:') ? specifier : `node:${specifier.split('/')[0]}`, builtin: true };
    if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return { kind: 'external', name: specifier.split(':')[0] + ':', builtin: false };
    const tsconfig = this.tsconfigFor(from);
    let matchedAlias = false;
    if (tsconfig !== undefined) {
      for (const mapping of tsconfig.paths) {
        const captured = matchPattern(mapping, specifier);
        if (captured === undefined) continue;
        matchedAlias = true;
        for (const target of mapping.targets) {
          const found = this.#probe(this.#rel(target.split('*').join(captured)), 'paths');
          if (found) return found;
        }
        // TypeScript tries only the best matching pattern.
        break;
      }
      if (tsconfig.baseUrl !== undefined) {
        const found = this.#probe(joinRel(this.#rel(tsconfig.baseUrl), specifier), 'baseUrl');
        if (found) return found;
      }
    }
    const { name, subpath } = splitPackageSpecifier(specifier);
    const pkg = this.packages.get(name) ?? (this.#rootPackage?.name === name ? this.#rootPackage : undefined);
    if (pkg !== undefined) return this.#resolveInPackage(pkg.dir, pkg.manifest, subpath) ?? { kind: 'unresolved' };
    // A specifier that matched a `paths` alias but found no file is a broken alias, not a package.
    if (matchedAlias) return { kind: 'unresolved' };
    return { kind: 'external', name, builtin: false };
  }

  /** `#internal/x` through the nearest package.json `imports`. */
  #resolveImportsField(fromDir: string, specifier: string): Resolution | undefined {
    const owner = this.#nearestManifest(fromDir);
    if (!owner || owner.manifest.imports === undefined) return undefined;
    for (const target of mapSubpath(owner.manifest.imports, specifier)) {
      if (target.startsWith('./') || target.startsWith('../')) {
        const found = this.#probeWithOutputMapping(joinRel(owner.dir, target), owner.dir, 'imports');
        if (found) return found;
      } else {
        const found = this.#resolveBare(owner.dir === '' ? 'package.json' : `${owner.dir}/package.json`, target);
        if (found.kind !== 'unresolved') return found;
      }
    }
    return undefined;
  }

  /** A module of a workspace package: `exports`, then the entry fields, then the path itself. */
  #resolveInPackage(dir: string, manifest: PackageJson, subpath: string): Resolution | undefined {
    if (manifest.exports !== undefined) {
      for (const target of mapSubpath(manifest.exports, subpath === '' ? '.' : `./${subpath}`)) {
        if (!target.startsWith('./')) continue;
        const found = this.#probeWithOutputMapping(joinRel(dir, target), dir, 'workspace');
        if (found) return found;
      }
    }
    if (subpath === '') {
      for (const field of ENTRY_FIELDS) {
        const entry = (manifest as Record<string, unknown>)[field];
        if (typeof entry !== 'string') continue;
        const found = this.#probeWithOutputMapping(joinRel(dir, entry), dir, 'workspace');
        if (found) return found;
      }
      return this.#probe(joinRel(dir, 'index'), 'workspace') ?? this.#probe(joinRel(dir, 'src/index'), 'workspace');
    }
    return this.#probeWithOutputMapping(joinRel(dir, subpath), dir, 'workspace');
  }

  /** Probes a path; when it names build output (`dist/x.js`, `lib/x.d.ts`), maps it to the package's sources first. */
  #probeWithOutputMapping(rel: string, packageDir: string, via: ResolutionVia): Resolution | undefined {
    // Module lookups first (no file system access), then what exists on disk.
    const direct = this.#probeModule(rel, via);
    if (direct) return direct;
    for (const mapping of this.#outputMappings(packageDir)) {
      if (rel !== mapping.outDir && !rel.startsWith(`${mapping.outDir}/`)) continue;
      const inSource = mapping.rootDir + rel.slice(mapping.outDir.length);
      const found = this.#probeModule(inSource.replace(DECLARATION_EXT, '.$1ts'), via) ?? this.#probeModule(inSource.replace(DECLARATION_EXT, ''), via);
      if (found) return found;
    }
    return this.#probe(rel, via);
  }

  /** outDir → rootDir pairs from the package's tsconfig files, then the usual `dist|lib|build` → `src`. */
  #outputMappings(packageDir: string): OutputMapping[] {
    let mappings = this.#mappings.get(packageDir);
    if (mappings !== undefined) return mappings;
    mappings = [];
    const base = packageDir === '' ? '' : `${packageDir}/`;
    for (const name of ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.lib.json']) {
      if (!this.#existsOnDisk(`${base}${name}`)) continue;
      const config = this.#loadTsconfig(path.join(this.root, base, name));
      if (config.outDir === undefined) continue;
      const rootDir = config.rootDir ?? path.join(this.root, base, this.#existsOnDisk(`${base}src`) ? 'src' : '');
      mappings.push({ outDir: this.#rel(config.outDir), rootDir: this.#rel(rootDir) });
    }
    if (this.#existsOnDisk(`${base}src`)) {
      for (const dir of OUTPUT_DIRS) mappings.push({ outDir: `${base}${dir}`, rootDir: `${base}src` });
    }
    this.#mappings.set(packageDir, mappings);
    return mappings;
  }

  /** A module of the analysis by TypeScript's probing (extensions, `.js` → `.ts`, folder index), without touching the disk. */
  #probeModule(rel: string, via: ResolutionVia): Resolution | undefined {
    // Indexed loops and one string per candidate: this runs for every import of a cold run.
    const modules = this.modules;
    const p = rel.charCodeAt(rel.length - 1) === 47 ? rel.slice(0, -1) : rel;
    if (modules.has(p)) return { kind: 'module', path: p, via };
    const ext = scriptExtension(p);
    if (ext !== undefined) {
      const stem = p.slice(0, -ext.length);
      const swaps = JS_TO_TS[ext];
      for (let k = 0; k < swaps.length; k++) {
        const candidate = stem + swaps[k];
        if (modules.has(candidate)) return { kind: 'module', path: candidate, via };
      }
    }
    for (let k = 0; k < PROBE_EXTENSIONS.length; k++) {
      const candidate = p + PROBE_EXTENSIONS[k];
      if (modules.has(candidate)) return { kind: 'module', path: candidate, via };
    }
    const index = p === '' ? 'index' : `${p}/index`;
    for (let k = 0; k < PROBE_EXTENSIONS.length; k++) {
      const candidate = index + PROBE_EXTENSIONS[k];
      if (modules.has(candidate)) return { kind: 'module', path: candidate, via };
    }
    return undefined;
  }

  /** Module lookup with TypeScript's probing; `outside` when only a non-analysed file exists. */
  #probe(rel: string, via: ResolutionVia): Resolution | undefined {
    const found = this.#probeModule(rel, via);
    if (found) return found;
    const p = rel.endsWith('/') ? rel.slice(0, -1) : rel;
    const ext = scriptExtension(p);
    const swaps = ext === undefined ? undefined : JS_TO_TS[ext];
    const index = p === '' ? 'index' : `${p}/index`;
    // A folder with its own package.json (a nested package without workspaces).
    if (this.#existsOnDisk(`${p}/package.json`)) {
      const manifest = this.#readManifest(path.join(this.root, p, 'package.json'));
      if (manifest) {
        for (const field of ENTRY_FIELDS) {
          const entry = (manifest as Record<string, unknown>)[field];
          if (typeof entry === 'string') {
            const found = this.#probeWithOutputMapping(joinRel(p, entry), p, via);
            if (found?.kind === 'module') return found;
          }
        }
      }
    }
    if (this.#isFileOnDisk(p)) return { kind: 'outside', path: p };
    if (ext !== undefined && swaps !== undefined) {
      const stem = p.slice(0, -ext.length);
      // `x.js` may also be declared by `x.d.ts` (`x.mjs` by `x.d.mts`).
      const declaration = `.d${ext.replace('j', 't').replace('x', '')}`;
      for (const tsExt of [...swaps, declaration]) if (this.#isFileOnDisk(stem + tsExt)) return { kind: 'outside', path: stem + tsExt };
    }
    for (const probeExt of [...PROBE_EXTENSIONS, '.d.ts', '.json']) if (this.#isFileOnDisk(p + probeExt)) return { kind: 'outside', path: p + probeExt };
    for (const probeExt of [...PROBE_EXTENSIONS, '.d.ts']) if (this.#isFileOnDisk(`${index}${probeExt}`)) return { kind: 'outside', path: `${index}${probeExt}` };
    return undefined;
  }

  #nearestTsconfig(dir: string): TsconfigInfo | undefined {
    const cached = this.#tsconfigByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let found: TsconfigInfo | null = null;
    const candidate = dir === '' ? 'tsconfig.json' : `${dir}/tsconfig.json`;
    if (this.#isFileOnDisk(candidate)) found = this.#loadTsconfig(path.join(this.root, candidate));
    else if (dir !== '' && !dir.startsWith('..')) found = this.#nearestTsconfig(dirOf(dir)) ?? null;
    this.#tsconfigByDir.set(dir, found);
    return found ?? undefined;
  }

  #nearestManifest(dir: string): { dir: string; manifest: PackageJson } | undefined {
    const cached = this.#manifestByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let found: { dir: string; manifest: PackageJson } | null = null;
    const candidate = dir === '' ? 'package.json' : `${dir}/package.json`;
    const manifest = this.#isFileOnDisk(candidate) ? this.#readManifest(path.join(this.root, candidate)) : undefined;
    if (manifest) found = { dir, manifest };
    else if (dir !== '') found = this.#nearestManifest(dirOf(dir)) ?? null;
    this.#manifestByDir.set(dir, found);
    return found ?? undefined;
  }

  #loadTsconfig(file: string): TsconfigInfo {
    let config = this.#tsconfigByFile.get(file);
    if (config === undefined) {
      config = loadTsconfig(file);
      this.#tsconfigByFile.set(file, config);
      for (const read of config.files) this.observed.set(`s:${read}`, observe(read));
      for (const problem of config.problems) this.problems.push(problem);
    }
    return config;
  }

  #rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  #readManifest(abs: string): PackageJson | undefined {
    this.observed.set(`s:${abs}`, observe(abs));
    return readJson(abs);
  }

  #existsOnDisk(rel: string): boolean {
    let exists = this.#exists.get(rel);
    if (exists === undefined) {
      exists = existsSync(path.join(this.root, rel));
      this.#exists.set(rel, exists);
      this.observed.set(`e:${rel}`, exists ? '1' : '0');
    }
    return exists;
  }

  #isFileOnDisk(rel: string): boolean {
    if (!this.#existsOnDisk(rel)) return false;
    let file: boolean;
    try {
      file = statSync(path.join(this.root, rel)).isFile();
    } catch {
      file = false;
    }
    this.observed.set(`f:${rel}`, file ? '1' : '0');
    return file;
  }
}

/** The cache of one scope, created on first use. */
function scopeIn<K>(caches: Map<K, Map<string, Resolution>>, key: K): Map<string, Resolution> {
  let scope = caches.get(key);
  if (scope === undefined) caches.set(key, (scope = new Map()));
  return scope;
}

/** What a later run compares to know a file is unchanged: its modification time and size ('-' when missing). */
export function observe(abs: string): string {
  try {
    const stat = statSync(abs);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return '-';
  }
}

/** Whether every recorded fact about the disk still holds (see `Resolver.observed`). */
export function observationsHold(root: string, observed: Iterable<[string, string]>): boolean {
  for (const [key, value] of observed) {
    const subject = key.slice(2);
    let now: string;
    if (key.startsWith('s:')) now = observe(subject);
    else if (key.startsWith('e:')) now = existsSync(path.join(root, subject)) ? '1' : '0';
    else {
      try {
        now = statSync(path.join(root, subject)).isFile() ? '1' : '0';
      } catch {
        now = '0';
      }
    }
    if (now !== value) return false;
  }
  return true;
}
