import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { observationsHold, observe, type Resolution, type Resolver } from '../resolve/resolver';
import { CACHE_DIR } from './parse-cache';

const CACHE_FILE = 'resolution-cache.json';
const FORMAT = 1;

interface ResolutionDocument {
  format: number;
  /** Hash of everything resolution depends on beyond one file's imports (see `resolutionContext`). */
  context: string;
  /** Facts about the disk the cached resolutions depended on, to check before reuse. */
  observed: Record<string, string>;
  /** file → [parse result key, encoded resolution of each import, in order; modules by index] */
  files: Record<string, [string, string[]]>;
}

/**
 * What every resolution depends on besides the importing file's own imports: the options, the set
 * of modules (a new file can change what `./x` means), and the workspace packages with their
 * manifests.
 */
export function resolutionContext(options: { tsconfig?: string; workspaces: boolean }, modules: readonly string[], resolver: Resolver): string {
  const hash = createHash('sha1');
  hash.update(`${FORMAT}\0${options.tsconfig ?? ''}\0${options.workspaces}\0`);
  for (const m of modules) hash.update(`${m}\n`);
  for (const pkg of [...resolver.packages.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1))) {
    hash.update(`${pkg.name}\0${pkg.dir}\0${observe(path.join(resolver.root, pkg.dir, 'package.json'))}\n`);
  }
  return hash.digest('base64url');
}

/**
 * Resolutions of each file's imports from the previous run, reused for a file whose content (parse
 * result key) is unchanged when nothing resolution depends on has changed. So a re-run after one
 * edit resolves only that file's imports.
 */
export class ResolutionCache {
  readonly enabled: boolean;
  readonly file: string;
  #doc: ResolutionDocument | undefined;
  #usable = false;
  readonly #next = new Map<string, [string, string[]]>();
  /** The modules of this run (sorted), and each one's index: cached module targets are stored by index. */
  #modules: readonly string[] = [];
  #indexOf = new Map<string, number>();

  private constructor(file: string, enabled: boolean, doc: ResolutionDocument | undefined) {
    this.file = file;
    this.enabled = enabled;
    this.#doc = doc;
  }

  static async open(root: string, enabled: boolean): Promise<ResolutionCache> {
    const file = path.join(root, CACHE_DIR, CACHE_FILE);
    if (!enabled) return new ResolutionCache(file, false, undefined);
    let doc: ResolutionDocument | undefined;
    try {
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as ResolutionDocument;
      if (parsed.format === FORMAT && typeof parsed.context === 'string' && parsed.files && parsed.observed) doc = parsed;
    } catch {
      doc = undefined;
    }
    return new ResolutionCache(file, true, doc);
  }

  /**
   * Whether the cached resolutions apply: same context (which includes the module list, so module
   * indexes mean the same), and every observed fact still holds.
   */
  prepare(root: string, context: string, modules: readonly string[]): boolean {
    this.#modules = modules;
    this.#indexOf = new Map(modules.map((m, i) => [m, i]));
    this.#usable = this.#doc !== undefined && this.#doc.context === context && observationsHold(root, Object.entries(this.#doc.observed));
    return this.#usable;
  }

  /** The cached resolutions of a file's imports, when its content is what it was. */
  get(file: string, parseKey: string | undefined): Resolution[] | undefined {
    if (!this.#usable || parseKey === undefined) return undefined;
    const entry = this.#doc?.files[file];
    if (entry === undefined || entry[0] !== parseKey) return undefined;
    // Kept as it was for the next save; `record` leaves it alone.
    this.#next.set(file, entry);
    return entry[1].map((text) => decode(text, this.#modules));
  }

  record(file: string, parseKey: string | undefined, resolutions: readonly Resolution[]): void {
    if (!this.enabled || parseKey === undefined || this.#next.get(file)?.[0] === parseKey) return;
    this.#next.set(file, [parseKey, resolutions.map((r) => encode(r, this.#indexOf))]);
  }

  /** Writes what this run resolved (with what it relied on), unless it is what was loaded. */
  async save(context: string, resolver: Resolver, reusedAll: boolean): Promise<void> {
    if (!this.enabled || resolver.problems.length > 0) return;
    const observed: Record<string, string> = this.#usable ? { ...this.#doc?.observed } : {};
    for (const [key, value] of resolver.observed) observed[key] = value;
    if (reusedAll && this.#usable && Object.keys(observed).length === Object.keys(this.#doc?.observed ?? {}).length && this.#next.size === Object.keys(this.#doc?.files ?? {}).length) return;
    const doc: ResolutionDocument = { format: FORMAT, context, observed, files: Object.fromEntries(this.#next) };
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fsp.writeFile(temp, JSON.stringify(doc));
    await fsp.rename(temp, this.file);
  }
}

function encode(r: Resolution, indexOf: ReadonlyMap<string, number>): string {
  switch (r.kind) {
    case 'module':
      return `${r.via === 'workspace' ? 'w' : 'm'}${indexOf.get(r.path) ?? -1}`;
    case 'external':
      return `${r.builtin ? 'b' : 'e'}${r.name}`;
    case 'outside':
      return `o${r.path}`;
    case 'unresolved':
      return 'u';
  }
}

function decode(text: string, modules: readonly string[]): Resolution {
  const rest = text.slice(1);
  switch (text[0]) {
    case 'w':
    case 'm': {
      const index = Number(rest);
      return { kind: 'module', path: modules[index], via: text[0] === 'w' ? 'workspace' : 'relative', index };
    }
    case 'b':
      return { kind: 'external', name: rest, builtin: true };
    case 'e':
      return { kind: 'external', name: rest, builtin: false };
    case 'o':
      return { kind: 'outside', path: rest };
    default:
      return { kind: 'unresolved' };
  }
}
