import { promises as fsp, readdirSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { Ignore } from 'ignore';
import { ArchitectError } from '../errors';
import { SOURCE_EXTENSIONS } from '../parse/types';

/** Folders never entered: dependencies, VCS data, our own state and common build output. */
export const DEFAULT_EXCLUDED_DIRS: readonly string[] = ['node_modules', '.git', '.hg', '.svn', '.sparc', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache', '.output', '.svelte-kit', '.yarn', 'bower_components'];

export interface DiscoverOptions {
  /** Absolute workspace root. */
  root: string;
  /** Folders (or files) to analyse, relative to the root. @default ['.'] */
  src?: string[];
  /** Globs (relative to the root) a file must match; all source files when empty. */
  include?: string[];
  /** Globs (relative to the root) of files to leave out. */
  exclude?: string[];
  /** Honour .gitignore files (the root's and nested ones). @default true */
  gitignore?: boolean;
  signal?: AbortSignal;
}

export interface DiscoveredFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
}

const EXTENSION = new RegExp(`\\.(${SOURCE_EXTENSIONS.join('|')})$`);
const DECLARATION = /\.d\.[cm]?ts$/;
/** Folders read, and files stat'ed, between two turns of the event loop. */
const DIRS_PER_TURN = 256;
const STATS_PER_TURN = 4096;

interface IgnoreScope {
  /** Folder (workspace-relative, '' for the root) the rules are relative to. */
  base: string;
  rules: Ignore;
}

/**
 * Finds the JS/TS source files under the `src` folders: every extension the analysis parses, not
 * `.d.ts` declarations (they hold no run-time imports), skipping ignored paths and build output.
 * Returns them sorted by path, with size and modification time.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<DiscoveredFile[]> {
  const root = options.root;
  const includes = (options.include ?? []).filter((g) => g.trim() !== '');
  const excludes = (options.exclude ?? []).filter((g) => g.trim() !== '');
  const included = includes.length > 0 ? loadPicomatch()(includes, { dot: true }) : () => true;
  const excluded = excludes.length > 0 ? loadPicomatch()(excludes, { dot: true }) : () => false;
  const useGitignore = options.gitignore !== false;
  const rootScopes = useGitignore ? await loadScopes(root, '', []) : [];
  // Workspace-relative paths of the files found; stat'ed once sorted.
  const files: string[] = [];

  const pending: Array<{ rel: string; scopes: IgnoreScope[] }> = [];
  for (const src of options.src && options.src.length > 0 ? options.src : ['.']) {
    const rel = toRelative(root, src);
    let stat;
    try {
      stat = await fsp.stat(path.join(root, rel));
    } catch {
      throw new ArchitectError('SRC_NOT_FOUND', `src folder "${src}" does not exist under ${root}`);
    }
    if (stat.isFile()) {
      if (EXTENSION.test(rel) && !DECLARATION.test(rel)) files.push(rel);
      continue;
    }
    // .gitignore files in the folders between the root and this src folder apply too.
    let scopes = rootScopes;
    if (useGitignore && rel !== '') {
      const parts = rel.split('/');
      for (let i = 1; i <= parts.length; i++) scopes = await loadScopes(root, parts.slice(0, i).join('/'), scopes);
    }
    pending.push({ rel, scopes });
  }

  // Synchronous reads: for thousands of small directory listings and stats they are several times
  // cheaper than promises; the event loop gets a turn between batches of folders.
  let visited = 0;
  while (pending.length > 0) {
    const { rel, scopes } = pending.pop() as { rel: string; scopes: IgnoreScope[] };
    if (++visited % DIRS_PER_TURN === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === '' ? root : path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    // A src folder's own .gitignore was loaded with its ancestors'.
    const loaded = scopes.length > 0 && scopes[scopes.length - 1].base === rel;
    const here = useGitignore && rel !== '' && !loaded && entries.some((e) => e.name === '.gitignore') ? await loadScopes(root, rel, scopes) : scopes;
    const prefix = rel === '' ? '' : `${rel}/`;
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) {
        const childRel = prefix + name;
        if (DEFAULT_EXCLUDED_DIRS.includes(name) || (here.length > 0 && isIgnored(here, childRel, true))) continue;
        pending.push({ rel: childRel, scopes: here });
      } else if (entry.isFile()) {
        if (!EXTENSION.test(name) || DECLARATION.test(name)) continue;
        const childRel = prefix + name;
        if ((here.length > 0 && isIgnored(here, childRel, false)) || !included(childRel) || excluded(childRel)) continue;
        files.push(childRel);
      }
    }
  }

  // Plain string order (what `<` gives), without a comparator callback; overlapping src folders
  // can list a file twice.
  files.sort();
  const found: DiscoveredFile[] = [];
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  for (let i = 0; i < files.length; i++) {
    if (i % STATS_PER_TURN === STATS_PER_TURN - 1) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    const file = files[i];
    if (i > 0 && file === files[i - 1]) continue;
    try {
      // Paths from the listing need no normalising: joined by hand, which costs less than path.join.
      const stat = statSync(path.sep === '/' ? base + file : base + file.split('/').join(path.sep), { throwIfNoEntry: false });
      if (stat !== undefined) found.push({ path: file, size: stat.size, mtimeMs: stat.mtimeMs });
    } catch {
      // Gone or unreadable since the listing: not a file of this run.
    }
  }
  return found;
}

async function loadScopes(root: string, rel: string, parent: IgnoreScope[]): Promise<IgnoreScope[]> {
  try {
    const text = await fsp.readFile(path.join(root, rel, '.gitignore'), 'utf8');
    return [...parent, { base: rel, rules: loadIgnore()().add(text) }];
  } catch {
    return parent;
  }
}

// Loaded when first needed: a run without include/exclude globs or .gitignore files uses neither.
function loadPicomatch(): typeof import('picomatch') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('picomatch') as typeof import('picomatch');
}

function loadIgnore(): typeof import('ignore') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ignore') as typeof import('ignore');
}

function isIgnored(scopes: IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.base === '' ? rel : rel.startsWith(`${scope.base}/`) ? rel.slice(scope.base.length + 1) : undefined;
    if (local !== undefined && scope.rules.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

/** `src/x`, `./src/x/`, `src\\x` → `src/x`; `.` → ''. Refuses paths that leave the root. */
export function toRelative(root: string, p: string): string {
  const abs = path.resolve(root, p);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ArchitectError('SRC_NOT_FOUND', `src folder "${p}" is outside the workspace ${root}`);
  return rel;
}
