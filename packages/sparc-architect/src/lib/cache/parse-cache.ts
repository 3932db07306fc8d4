import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PARSER_VERSION } from '../parse/parse-source';
import type { ParsedSource, SourceLang } from '../parse/types';

/** Where the cache lives under the workspace. */
export const CACHE_DIR = '.sparc/cache/architect';
const CACHE_FILE = 'parse-cache.json';
const FORMAT = 1;
/**
 * A file modified this close to (or after) the start of the run that cached it may have changed
 * after it was read, within the same clock tick of a coarse file-system timestamp; such entries
 * are checked by content hash, not trusted by stat (git's "racily clean" entries).
 */
const RACY_WINDOW_MS = 2000;

interface CacheDocument {
  format: number;
  parser: number;
  /** When the run that wrote the cache started reading files. */
  readAt: number;
  /** path → [size, mtimeMs, result key] */
  files: Record<string, [number, number, string]>;
  /** `<lang>:<content hash>` → parse result */
  results: Record<string, ParsedSource>;
}

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
 */
export class ParseCache {
  readonly enabled: boolean;
  readonly file: string;
  readonly stats: CacheStats = { statHits: 0, hashHits: 0, misses: 0 };
  #files: Map<string, [number, number, string]>;
  #results: Map<string, ParsedSource>;
  /** `readAt` of the cache as loaded. */
  #readAt: number;
  /** When this run started, before any file was read. */
  readonly #runStart = Date.now();
  #dirty = false;

  private constructor(file: string, enabled: boolean, doc: CacheDocument | undefined) {
    this.file = file;
    this.enabled = enabled;
    this.#files = new Map(doc ? Object.entries(doc.files) : []);
    this.#results = new Map(doc ? Object.entries(doc.results) : []);
    this.#readAt = doc?.readAt ?? 0;
  }

  /** Loads the cache of a workspace; a missing, corrupt or outdated cache starts empty. */
  static async open(root: string, enabled: boolean): Promise<ParseCache> {
    const file = path.join(root, CACHE_DIR, CACHE_FILE);
    if (!enabled) return new ParseCache(file, false, undefined);
    let doc: CacheDocument | undefined;
    try {
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as CacheDocument;
      if (parsed.format === FORMAT && parsed.parser === PARSER_VERSION && typeof parsed.readAt === 'number' && parsed.files && parsed.results) doc = parsed;
    } catch {
      doc = undefined;
    }
    return new ParseCache(file, true, doc);
  }

  get size(): number {
    return this.#files.size;
  }

  /** The key (language and content hash) of the result recorded for a file in this run or the last. */
  keyOf(file: string): string | undefined {
    return this.enabled ? this.#files.get(file)?.[2] : undefined;
  }

  /** The cached result when the file's size and modification time are what they were. */
  byStat(file: string, size: number, mtimeMs: number): ParsedSource | undefined {
    if (!this.enabled) return undefined;
    const entry = this.#files.get(file);
    if (entry === undefined || entry[0] !== size || entry[1] !== mtimeMs || mtimeMs >= this.#readAt - RACY_WINDOW_MS) return undefined;
    const result = this.#results.get(entry[2]);
    if (result !== undefined) this.stats.statHits++;
    return result;
  }

  /** The cached result for this content, and records the file's new stat. */
  byHash(file: string, size: number, mtimeMs: number, lang: SourceLang, hash: string): ParsedSource | undefined {
    if (!this.enabled) return undefined;
    const key = `${lang}:${hash}`;
    const result = this.#results.get(key);
    if (result === undefined) return undefined;
    this.stats.hashHits++;
    const entry = this.#files.get(file);
    if (entry === undefined || entry[0] !== size || entry[1] !== mtimeMs || entry[2] !== key) {
      this.#files.set(file, [size, mtimeMs, key]);
      this.#dirty = true;
    }
    return result;
  }

  set(file: string, size: number, mtimeMs: number, lang: SourceLang, hash: string, result: ParsedSource): void {
    this.stats.misses++;
    if (!this.enabled) return;
    const key = `${lang}:${hash}`;
    this.#files.set(file, [size, mtimeMs, key]);
    this.#results.set(key, result);
    this.#dirty = true;
  }

  /** Writes the cache (atomically: temp file, then rename), dropping files no longer present. */
  async save(live: ReadonlySet<string>): Promise<void> {
    if (!this.enabled) return;
    for (const file of this.#files.keys()) {
      if (!live.has(file)) {
        this.#files.delete(file);
        this.#dirty = true;
      }
    }
    // Entries that were racy for the loaded cache but are settled for this run (they were hashed
    // now, well after their change) are worth one write, so later runs trust them by stat again.
    const settled = [...this.#files.values()].some(([, mtimeMs]) => mtimeMs >= this.#readAt - RACY_WINDOW_MS && mtimeMs < this.#runStart - RACY_WINDOW_MS);
    if (!this.#dirty && !settled) return;
    const referenced = new Set<string>();
    const files: Record<string, [number, number, string]> = {};
    for (const [file, entry] of this.#files) {
      files[file] = entry;
      referenced.add(entry[2]);
    }
    const results: Record<string, ParsedSource> = {};
    for (const key of referenced) {
      const result = this.#results.get(key);
      if (result !== undefined) results[key] = result;
    }
    const doc: CacheDocument = { format: FORMAT, parser: PARSER_VERSION, readAt: this.#runStart, files, results };
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fsp.writeFile(temp, JSON.stringify(doc));
    await fsp.rename(temp, this.file);
    this.#dirty = false;
  }
}
