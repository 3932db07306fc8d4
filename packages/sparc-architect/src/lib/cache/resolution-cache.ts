import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { INTS_PER_IMPORT, type CachedImports } from '../graph/cached-imports';
import type { PackedImport } from '../parse/types';
import { observationsHold, observe, type Resolution, type Resolver } from '../resolve/resolver';
import { CACHE_DIR } from '../cache-dir';
import { decodeResolutionCache, ResolutionCacheWriter, type ResolutionCacheData } from './resolution-cache-format';
import { fitsInDelta, replaceFullFile, writeFileAtomic } from './write-atomic';

export const RESOLUTION_CACHE_FILE = 'resolution-cache.bin';
/** What changed since the full file, written instead of it while that is little (as for the parse cache). */
export const RESOLUTION_CACHE_DELTA_FILE = 'resolution-cache.delta.bin';
/** The JSON cache of earlier versions, removed when the binary one is first written. */
const LEGACY_FILE = 'resolution-cache.json';
/** Part of the context hash: resolutions recorded by other code mean nothing here. */
const CONTEXT_VERSION = 2;

/**
 * What every resolution depends on besides the importing file's own imports: the options, the set
 * of modules (a new file can change what `./x` means), and the workspace packages with their
 * manifests.
 */
export function resolutionContext(options: { tsconfig?: string; workspaces: boolean }, modules: readonly string[], resolver: Resolver): string {
  const hash = createHash('sha1');
  hash.update(`${CONTEXT_VERSION}\0${options.tsconfig ?? ''}\0${options.workspaces}\0`);
  // One update for the whole list: an update per module costs more than the hashing.
  hash.update(`${modules.join('\n')}\n`);
  for (const pkg of [...resolver.packages.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1))) {
    hash.update(`${pkg.name}\0${pkg.dir}\0${observe(path.join(resolver.root, pkg.dir, 'package.json'))}\n`);
  }
  return hash.digest('base64url');
}

interface FreshRow {
  parseKey: string;
  imports: readonly PackedImport[];
  resolutions: readonly Resolution[];
  targets: Int32Array;
}

/** Where this run took a module's row from. */
const FROM_NONE = 0;
const FROM_BASE = 1;
const FROM_DELTA = 2;

/**
 * Each file's imports with their resolutions from the previous run, reused for a file whose
 * content (parse result key) is unchanged when nothing resolution depends on has changed. So a
 * re-run after one edit resolves only that file's imports; the others are read straight from the
 * loaded file (see `CachedImports`) and copied to the next one as they are.
 *
 * On disk, like the parse cache: a full file with a row per module, and a delta file with the rows
 * resolved since (and the facts they relied on), named to the full file by its digest.
 */
export class ResolutionCache {
  readonly enabled: boolean;
  readonly file: string;
  readonly deltaFile: string;
  readonly #base: ResolutionCacheData | undefined;
  readonly #delta: ResolutionCacheData | undefined;
  /** Row of the delta for each module, -1 for none. */
  #deltaRow = new Int32Array(0);
  #usable = false;
  /** Per module: FROM_BASE or FROM_DELTA when this run used its loaded row. */
  #reused = new Uint8Array(0);
  /** Rows resolved in this run. */
  #fresh: Array<FreshRow | undefined> = [];
  #freshCount = 0;
  /** The modules of this run (sorted). */
  #modules: readonly string[] = [];
  readonly #view: CachedImports = { count: 0, data: new Int32Array(0), start: 0, text: '', textStart: 0 };

  private constructor(dir: string, enabled: boolean, base: ResolutionCacheData | undefined, delta: ResolutionCacheData | undefined) {
    this.file = path.join(dir, RESOLUTION_CACHE_FILE);
    this.deltaFile = path.join(dir, RESOLUTION_CACHE_DELTA_FILE);
    this.enabled = enabled;
    this.#base = base;
    this.#delta = base !== undefined && delta !== undefined && delta.baseDigest === base.digest && delta.context === base.context ? delta : undefined;
  }

  static async open(root: string, enabled: boolean): Promise<ResolutionCache> {
    const dir = path.join(root, CACHE_DIR);
    if (!enabled) return new ResolutionCache(dir, false, undefined, undefined);
    const [base, delta] = await Promise.all([readCacheFile(path.join(dir, RESOLUTION_CACHE_FILE)), readCacheFile(path.join(dir, RESOLUTION_CACHE_DELTA_FILE))]);
    return new ResolutionCache(dir, true, base?.baseDigest === '' ? base : undefined, delta?.baseDigest !== '' ? delta : undefined);
  }

  /**
   * Whether the cached resolutions apply: same context (which includes the module list, so module
   * indexes mean the same), and every observed fact still holds.
   */
  prepare(root: string, context: string, modules: readonly string[]): boolean {
    this.#modules = modules;
    this.#reused = new Uint8Array(modules.length);
    this.#fresh = new Array(modules.length);
    const base = this.#base;
    const delta = this.#delta;
    this.#usable =
      base !== undefined &&
      base.context === context &&
      base.rows === modules.length &&
      observationsHold(root, base.observed) &&
      (delta === undefined || (delta.rowModule.every((m) => m < modules.length) && observationsHold(root, delta.observed)));
    if (this.#usable) {
      this.#deltaRow = new Int32Array(modules.length).fill(-1);
      delta?.rowModule.forEach((module, row) => (this.#deltaRow[module] = row));
    }
    return this.#usable;
  }

  /**
   * The cached imports and resolutions of a module, when its content (parse key) is what it was.
   * The object returned is the same each time (one per module would be garbage): it describes the
   * last module asked for.
   */
  get(index: number, parseKey: string | undefined): CachedImports | undefined {
    if (!this.#usable || parseKey === undefined) return undefined;
    const deltaRow = this.#deltaRow[index];
    const from = deltaRow >= 0 ? FROM_DELTA : FROM_BASE;
    const loaded = (from === FROM_DELTA ? this.#delta : this.#base) as ResolutionCacheData;
    const row = from === FROM_DELTA ? deltaRow : index;
    const keyAt = loaded.keyStart[row];
    if (loaded.keyStart[row + 1] - keyAt !== parseKey.length || !loaded.keysText.startsWith(parseKey, keyAt)) return undefined;
    this.#reused[index] = from;
    const view = this.#view;
    view.start = loaded.rowStart[row];
    view.count = (loaded.rowStart[row + 1] - view.start) / INTS_PER_IMPORT;
    view.data = loaded.data;
    view.text = loaded.rowsText;
    view.textStart = loaded.textStart[row];
    return view;
  }

  /** A module's imports with the resolutions made in this run (and the module index each leads to, -1 for none). */
  record(index: number, parseKey: string | undefined, imports: readonly PackedImport[], resolutions: readonly Resolution[], targets: Int32Array): void {
    if (!this.enabled || parseKey === undefined) return;
    if (this.#fresh[index] === undefined) this.#freshCount++;
    this.#fresh[index] = { parseKey, imports, resolutions, targets };
    this.#reused[index] = FROM_NONE;
  }

  /** Writes what this run resolved (with what it relied on): a few rows to the delta file, more to a new full file. */
  async save(context: string, resolver: Resolver): Promise<void> {
    if (!this.enabled || resolver.problems.length > 0) return;
    const base = this.#base;
    const delta = this.#delta;
    // Facts this run relied on that the loaded files do not hold (or hold with another value).
    const known = new Map(this.#usable ? [...(base?.observed ?? []), ...(delta?.observed ?? [])] : []);
    const newFacts = [...resolver.observed].filter(([key, value]) => known.get(key) !== value);
    if (this.#usable && this.#freshCount === 0 && newFacts.length === 0) return;
    let deltaRows = this.#freshCount;
    for (let i = 0; i < this.#reused.length; i++) if (this.#reused[i] === FROM_DELTA) deltaRows++;
    if (!this.#usable || !fitsInDelta(deltaRows, this.#modules.length)) {
      const writer = new ResolutionCacheWriter();
      this.#writeRows(writer, false);
      await replaceFullFile(this.file, writer.finish(context, new Map([...known, ...newFacts])), this.deltaFile, base === undefined ? LEGACY_FILE : undefined);
    } else {
      const writer = new ResolutionCacheWriter();
      this.#writeRows(writer, true);
      await writeFileAtomic(this.deltaFile, writer.finish(context, new Map([...(delta?.observed ?? []), ...newFacts]), (base as ResolutionCacheData).digest));
    }
  }

  /** Every module's row (a full file), or only those resolved in this run or taken from the delta. */
  #writeRows(writer: ResolutionCacheWriter, onlyDelta: boolean): void {
    const n = this.#modules.length;
    let run = -1;
    for (let i = 0; i <= n; i++) {
      // Consecutive rows reused from the full file are copied in one go.
      if (i < n && !onlyDelta && this.#reused[i] === FROM_BASE) {
        if (run < 0) run = i;
        continue;
      }
      if (run >= 0) {
        writer.copyRows(this.#base as ResolutionCacheData, run, i);
        run = -1;
      }
      if (i === n) break;
      const fresh = this.#fresh[i];
      if (fresh !== undefined) writer.addRow(i, fresh.parseKey, fresh.imports, fresh.resolutions, fresh.targets);
      else if (this.#reused[i] === FROM_DELTA) writer.copyRows(this.#delta as ResolutionCacheData, this.#deltaRow[i], this.#deltaRow[i] + 1);
      else if (!onlyDelta) writer.emptyRow(i);
    }
  }
}

/** A resolution cache file; undefined when missing, unreadable or not one. */
async function readCacheFile(file: string): Promise<ResolutionCacheData | undefined> {
  try {
    return decodeResolutionCache(await fsp.readFile(file));
  } catch {
    return undefined;
  }
}
