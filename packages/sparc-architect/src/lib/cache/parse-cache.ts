import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PARSER_VERSION } from '../parse/parse-source';
import type { ParsedSource, SourceLang } from '../parse/types';
import { CachedParsedSource, decodeParseCache, ParseCacheWriter, type ParseCacheData } from './parse-cache-format';
import { FileSlots } from './file-slots';
import type { PathCursor } from './path-index';
import { fitsInDelta, replaceFullFile, writeFileAtomic } from './write-atomic';
import { CACHE_DIR } from '../cache-dir';

export { CACHE_DIR };
export const PARSE_CACHE_FILE = 'parse-cache.bin';
/** What changed since the full file, written instead of it while that is little (see ParseCache). */
export const PARSE_CACHE_DELTA_FILE = 'parse-cache.delta.bin';
/** The JSON cache of earlier versions, removed when the binary one is first written. */
const LEGACY_FILE = 'parse-cache.json';
/**
 * A file modified this close to (or after) the start of the run that cached it may have changed
 * after it was read, within the same clock tick of a coarse file-system timestamp; such entries
 * are checked by content hash, not trusted by stat (git's "racily clean" entries).
 */
const RACY_WINDOW_MS = 2000;
/** Lookups by content key answered by scanning the keys before a Map of them is built. */
const SCANS_BEFORE_MAP = 16;

export interface CacheStats {
  /** Reused because size and modification time matched. */
  statHits: number;
  /** Reused because the content hash matched (file touched or moved, content unchanged). */
  hashHits: number;
  misses: number;
}

/**
 * Parse results per file, keyed by content hash under `.sparc/cache/architect/`. A file whose size
 * and modification time are unchanged is not even read; a touched or renamed file with the same
 * content is found by its hash; only new content is parsed.
 *
 * On disk: a full file, and a small delta file with what changed since (files changed or added
 * with their results, files gone), named to the full file by its digest. A run that changed a few
 * files writes only the delta; once the delta holds more than a few percent of the files, the full
 * file is written again and the delta removed. A delta whose full file was replaced meanwhile (by
 * another run) names another digest and is ignored.
 *
 * Results are numbered: the full file's, then the delta's, then this run's. A cached result is
 * decoded when a file asks for it, and its imports only when something reads them.
 */
export class ParseCache {
  readonly enabled: boolean;
  readonly file: string;
  readonly deltaFile: string;
  readonly stats: CacheStats = { statHits: 0, hashHits: 0, misses: 0 };
  readonly #base: ParseCacheData | undefined;
  readonly #delta: ParseCacheData | undefined;
  /** Slots below this are the full file's files. */
  readonly #baseFiles: number;
  /** Results below this are the full file's; below `#loadedResults`, the delta's. */
  readonly #baseResults: number;
  readonly #loadedResults: number;
  readonly #slots: FileSlots;
  /** Lookups of each kind come in path order (see PathIndex). */
  readonly #statCursor: PathCursor = { next: 0 };
  readonly #keyCursor: PathCursor = { next: 0 };
  readonly #updateCursor: PathCursor = { next: 0 };
  /** Whether files were added since the load (they go to the end, so a full write sorts). */
  #added = false;
  readonly #keys: string[];
  readonly #results: Array<ParsedSource | undefined> = [];
  /** Result number by key, built once lookups by key are many (see `#findResult`). */
  #resultByKey: Map<string, number> | undefined;
  #scans = 0;
  /** When this run started, before any file was read. */
  readonly #runStart: number;
  /** Whether this run changed what the loaded files say. */
  #dirty = false;

  private constructor(dir: string, enabled: boolean, base: ParseCacheData | undefined, delta: ParseCacheData | undefined, runStart: number) {
    this.file = path.join(dir, PARSE_CACHE_FILE);
    this.deltaFile = path.join(dir, PARSE_CACHE_DELTA_FILE);
    this.enabled = enabled;
    this.#runStart = runStart;
    this.#base = base;
    this.#delta = base !== undefined && delta !== undefined && delta.baseDigest === base.digest ? delta : undefined;
    this.#slots = new FileSlots(base);
    this.#baseFiles = this.#slots.count;
    this.#keys = base?.keys ?? [];
    this.#baseResults = this.#keys.length;
    if (this.#delta !== undefined) this.#applyDelta(this.#delta);
    this.#loadedResults = this.#keys.length;
    this.#results.length = this.#keys.length;
  }

  /** Loads the cache of a workspace; a missing, corrupt or outdated cache starts empty. */
  static async open(root: string, enabled: boolean): Promise<ParseCache> {
    // Taken before the cache is read, so a run may open it while it discovers files.
    const runStart = Date.now();
    const dir = path.join(root, CACHE_DIR);
    if (!enabled) return new ParseCache(dir, false, undefined, undefined, runStart);
    const [base, delta] = await Promise.all([readCacheFile(path.join(dir, PARSE_CACHE_FILE)), readCacheFile(path.join(dir, PARSE_CACHE_DELTA_FILE))]);
    return new ParseCache(dir, true, base?.baseDigest === '' ? base : undefined, delta?.baseDigest !== '' ? delta : undefined, runStart);
  }

  get size(): number {
    return this.#slots.count;
  }

  /** The key (language and content hash) of the result recorded for a file in this run or the last. */
  keyOf(file: string): string | undefined {
    if (!this.enabled) return undefined;
    const slot = this.#slots.find(file, this.#keyCursor);
    return slot === undefined || this.#slots.removed[slot] === 1 ? undefined : this.#keys[this.#slots.resultOf[slot]];
  }

  /** The cached result when the file's size and modification time are what they were. */
  byStat(file: string, size: number, mtimeMs: number): ParsedSource | undefined {
    if (!this.enabled) return undefined;
    const slots = this.#slots;
    const slot = slots.find(file, this.#statCursor);
    if (slot === undefined || slots.removed[slot] === 1 || slots.sizes[slot] !== size || slots.mtimes[slot] !== mtimeMs || mtimeMs >= this.#readAtOf(slot) - RACY_WINDOW_MS) return undefined;
    this.stats.statHits++;
    slots.seen[slot] = 1;
    return this.#result(slots.resultOf[slot]);
  }

  /** The cached result for this content, and records the file's new stat. */
  byHash(file: string, size: number, mtimeMs: number, lang: SourceLang, hash: string): ParsedSource | undefined {
    if (!this.enabled) return undefined;
    const r = this.#findResult(`${lang}:${hash}`);
    if (r === undefined) return undefined;
    this.stats.hashHits++;
    this.#record(file, size, mtimeMs, r);
    return this.#result(r);
  }

  set(file: string, size: number, mtimeMs: number, lang: SourceLang, hash: string, result: ParsedSource): void {
    this.stats.misses++;
    if (!this.enabled) return;
    const key = `${lang}:${hash}`;
    let r = this.#findResult(key);
    if (r === undefined) {
      r = this.#keys.length;
      this.#keys.push(key);
      this.#resultByKey?.set(key, r);
    }
    this.#results[r] = result;
    this.#record(file, size, mtimeMs, r);
  }

  /**
   * Writes what changed (atomically: temp file, then rename), keeping the files this run looked up
   * or parsed (and, when given, that are `live`): the others are no longer there. A few changes go
   * to the delta file, more to a new full file.
   */
  async save(live?: ReadonlySet<string>): Promise<void> {
    if (!this.enabled) return;
    const slots = this.#slots;
    if (live !== undefined) {
      for (let slot = 0; slot < slots.count; slot++) if (slots.seen[slot] === 1 && !live.has(slots.index.paths[slot])) slots.seen[slot] = 0;
    }
    let deltaFiles = 0;
    let gone = 0;
    let newlyGone = false;
    for (let slot = 0; slot < slots.count; slot++) {
      if (slots.seen[slot] === 1) deltaFiles += slots.changed[slot];
      else {
        if (slot < this.#baseFiles) gone++;
        if (slots.removed[slot] === 0) newlyGone = true;
      }
    }
    if (!this.#dirty && !newlyGone) return;
    if (this.#base === undefined || !fitsInDelta(deltaFiles + gone, this.#baseFiles)) {
      await replaceFullFile(this.file, this.#encode(false), this.deltaFile, this.#base === undefined ? LEGACY_FILE : undefined);
    } else {
      await writeFileAtomic(this.deltaFile, this.#encode(true));
    }
    this.#dirty = false;
  }

  /** The full file (every file seen), or the delta (files that differ from the full file, and the full file's files that are gone). */
  #encode(delta: boolean): Buffer {
    const slots = this.#slots;
    let kept: number[] = [];
    for (let slot = 0; slot < slots.count; slot++) if (slots.seen[slot] === 1 && (!delta || slots.changed[slot] === 1)) kept.push(slot);
    const paths = slots.index.paths;
    // Stored in path order, the order the next run looks files up in.
    if (this.#added) kept = kept.sort((a, b) => (paths[a] < paths[b] ? -1 : paths[a] > paths[b] ? 1 : 0));
    const writer = new ParseCacheWriter(kept.length);
    // Results renumbered in the order files refer to them.
    const renumbered = new Int32Array(this.#keys.length).fill(-1);
    const order: number[] = [];
    for (const slot of kept) {
      const r = slots.resultOf[slot];
      if (renumbered[r] < 0) {
        renumbered[r] = order.length;
        order.push(r);
      }
      writer.addFile(paths[slot], slots.sizes[slot], slots.mtimes[slot], renumbered[r]);
    }
    for (let k = 0; k < order.length; ) {
      const r = order[k];
      if (r >= this.#loadedResults) {
        writer.addResult(this.#keys[r], this.#result(r));
        k++;
        continue;
      }
      // Loaded results are copied as they are, a run of consecutive ones from one file at once.
      const fromDelta = r >= this.#baseResults;
      const limit = fromDelta ? this.#loadedResults : this.#baseResults;
      let end = k + 1;
      while (end < order.length && order[end] === order[end - 1] + 1 && order[end] < limit) end++;
      const first = fromDelta ? r - this.#baseResults : r;
      writer.copyResults((fromDelta ? this.#delta : this.#base) as ParseCacheData, first, first + end - k);
      k = end;
    }
    if (!delta) return writer.finish(PARSER_VERSION, this.#runStart);
    const removed: string[] = [];
    for (let slot = 0; slot < this.#baseFiles; slot++) if (slots.seen[slot] === 0) removed.push(paths[slot]);
    return writer.finish(PARSER_VERSION, this.#runStart, { baseDigest: (this.#base as ParseCacheData).digest, removed });
  }

  #applyDelta(delta: ParseCacheData): void {
    const slots = this.#slots;
    const cursor: PathCursor = { next: 0 };
    for (const file of delta.removed) {
      const slot = slots.find(file, cursor);
      if (slot !== undefined) slots.removed[slot] = 1;
    }
    cursor.next = 0;
    for (let i = 0; i < delta.paths.length; i++) {
      const { slot, added } = slots.slotOf(delta.paths[i], cursor);
      if (added) this.#added = true;
      slots.sizes[slot] = delta.sizes[i];
      slots.mtimes[slot] = delta.mtimes[i];
      slots.resultOf[slot] = this.#baseResults + delta.resultOf[i];
      slots.changed[slot] = 1;
      slots.removed[slot] = 0;
    }
    for (const key of delta.keys) this.#keys.push(key);
  }

  /** When the run that recorded a slot started reading files: the delta's run or the full file's. */
  #readAtOf(slot: number): number {
    return (this.#slots.changed[slot] === 1 ? this.#delta?.readAt : this.#base?.readAt) ?? 0;
  }

  #record(file: string, size: number, mtimeMs: number, r: number): void {
    const slots = this.#slots;
    const { slot, added } = slots.slotOf(file, this.#updateCursor);
    if (added) this.#added = true;
    // Read again in this run: an entry too recent to trust by stat before, and old enough now, is
    // worth writing (with this run's start) so that later runs trust it by stat again.
    const settles = !added && mtimeMs >= this.#readAtOf(slot) - RACY_WINDOW_MS && mtimeMs < this.#runStart - RACY_WINDOW_MS;
    if (added || settles || slots.removed[slot] === 1 || slots.sizes[slot] !== size || slots.mtimes[slot] !== mtimeMs || slots.resultOf[slot] !== r) {
      this.#dirty = true;
      slots.changed[slot] = 1;
    }
    slots.sizes[slot] = size;
    slots.mtimes[slot] = mtimeMs;
    slots.resultOf[slot] = r;
    slots.removed[slot] = 0;
    slots.seen[slot] = 1;
  }

  #result(r: number): ParsedSource {
    let result = this.#results[r];
    if (result === undefined) {
      // Only loaded results are ever missing here: results of this run are stored when set.
      result = r < this.#baseResults ? new CachedParsedSource(this.#base as ParseCacheData, r) : new CachedParsedSource(this.#delta as ParseCacheData, r - this.#baseResults);
      this.#results[r] = result;
    }
    return result;
  }

  /** The result of a content key: the first few lookups (a file or two touched or edited) scan the keys, more build a Map. */
  #findResult(key: string): number | undefined {
    if (this.#resultByKey === undefined) {
      if (this.#scans < SCANS_BEFORE_MAP) {
        this.#scans++;
        const r = this.#keys.indexOf(key);
        return r < 0 ? undefined : r;
      }
      this.#resultByKey = new Map();
      for (let r = 0; r < this.#keys.length; r++) this.#resultByKey.set(this.#keys[r], r);
    }
    return this.#resultByKey.get(key);
  }
}

/** A cache file of this parser version; undefined when missing, unreadable or not one. */
async function readCacheFile(file: string): Promise<ParseCacheData | undefined> {
  try {
    const data = decodeParseCache(await fsp.readFile(file));
    return data.parser === PARSER_VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}
