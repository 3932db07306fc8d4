import type { PackedImport, ParsedSource, ParseFailure } from '../parse/types';
import { CorruptCacheError, cutText, decodePacked, encodePacked, IntList } from './packed-file';

const KIND = 'PRSE';
const FORMAT = 2;
const HAS_ERROR = 2;
const BY_OXC = 1;

/**
 * The parse cache as loaded: one row per file and one per distinct content (result), in typed
 * arrays. Result r is a block of integers in `data` from `blockStart[r]` (a head: import count × 4,
 * + 2 with an error, + 1 when oxc produced it; then the error's line and message length; then per
 * import its kind | flags << 8, its line and its specifier's length) and a piece of `segments`
 * from `segStart[r]` (the error message, then the specifiers). Its imports are decoded only when
 * something reads them.
 */
export interface ParseCacheData {
  /** This file's digest, which a delta file names as its base. */
  digest: string;
  /** For a delta file: the digest of the full file it amends ('' for a full file). */
  baseDigest: string;
  /** For a delta file: files of the base that are gone. */
  removed: string[];
  parser: number;
  /** When the run that wrote the file started reading files (see ParseCache's racy entries). */
  readAt: number;
  paths: string[];
  sizes: Float64Array;
  mtimes: Float64Array;
  /** Result of each file. */
  resultOf: Int32Array;
  keys: string[];
  blockStart: Int32Array;
  segStart: Int32Array;
  data: Int32Array;
  segments: string;
}

/**
 * Builds a parse cache file, full or delta (see ParseCache); results kept from a loaded file are
 * copied as they are.
 */
export class ParseCacheWriter {
  readonly #paths: string[] = [];
  readonly #pathLens: Int32Array;
  readonly #sizes: Float64Array;
  readonly #mtimes: Float64Array;
  readonly #resultOf: Int32Array;
  readonly #keys: string[] = [];
  readonly #blockStart = new IntList(1024);
  readonly #segStart = new IntList(1024);
  readonly #data = new IntList(1 << 16);
  readonly #segments: string[] = [];
  #segLength = 0;

  constructor(fileCount: number) {
    this.#pathLens = new Int32Array(fileCount);
    this.#sizes = new Float64Array(fileCount);
    this.#mtimes = new Float64Array(fileCount);
    this.#resultOf = new Int32Array(fileCount);
    this.#blockStart.push(0);
    this.#segStart.push(0);
  }

  /** The next file (of the count given), whose content is result `result` (numbered in the order results are added). */
  addFile(file: string, size: number, mtimeMs: number, result: number): void {
    const i = this.#paths.length;
    this.#paths.push(file);
    this.#pathLens[i] = file.length;
    this.#sizes[i] = size;
    this.#mtimes[i] = mtimeMs;
    this.#resultOf[i] = result;
  }

  /** Copies results `from` to `to` (exclusive) of the loaded cache. */
  copyResults(loaded: ParseCacheData, from: number, to: number): void {
    const dataShift = this.#data.length - loaded.blockStart[from];
    const segShift = this.#segLength - loaded.segStart[from];
    for (let r = from; r < to; r++) {
      this.#keys.push(loaded.keys[r]);
      this.#blockStart.push(loaded.blockStart[r + 1] + dataShift);
      this.#segStart.push(loaded.segStart[r + 1] + segShift);
    }
    this.#data.append(loaded.data.subarray(loaded.blockStart[from], loaded.blockStart[to]));
    const segment = loaded.segments.slice(loaded.segStart[from], loaded.segStart[to]);
    this.#segments.push(segment);
    this.#segLength += segment.length;
  }

  addResult(key: string, result: ParsedSource): void {
    this.#keys.push(key);
    const data = this.#data;
    data.push(result.imports.length * 4 + (result.error ? HAS_ERROR : 0) + (result.parser === 'oxc' ? BY_OXC : 0));
    if (result.error) {
      data.push(result.error.line);
      data.push(result.error.message.length);
      this.#segments.push(result.error.message);
      this.#segLength += result.error.message.length;
    }
    const imports = result.imports;
    for (let i = 0; i < imports.length; i++) {
      const specifier = imports[i][0];
      data.push(imports[i][1] | (imports[i][2] << 8));
      data.push(imports[i][3]);
      data.push(specifier.length);
      this.#segments.push(specifier);
      this.#segLength += specifier.length;
    }
    this.#blockStart.push(data.length);
    this.#segStart.push(this.#segLength);
  }

  /** `delta`: the digest of the full file this one amends, and the files of it that are gone. */
  finish(parser: number, readAt: number, delta?: { baseDigest: string; removed: readonly string[] }): Buffer {
    const keyLens = new Int32Array(this.#keys.length);
    for (let r = 0; r < keyLens.length; r++) keyLens[r] = this.#keys[r].length;
    const removed = delta?.removed ?? [];
    return encodePacked(KIND, FORMAT, {
      floats: [Float64Array.of(readAt), this.#sizes, this.#mtimes],
      ints: [Int32Array.of(parser), this.#pathLens, this.#resultOf, keyLens, this.#blockStart.toArray(), this.#segStart.toArray(), this.#data.toArray(), Int32Array.from(removed, (p) => p.length)],
      texts: [this.#paths.join(''), this.#keys.join(''), this.#segments.join(''), removed.join(''), delta?.baseDigest ?? ''],
    });
  }
}

/** Reads a parse cache file (its digest vouches for the entries; only the shape of its tables is checked). */
export function decodeParseCache(buf: Buffer): ParseCacheData {
  const { floats, ints, texts, digest } = decodePacked(buf, KIND, FORMAT);
  if (floats.length !== 3 || ints.length !== 8 || texts.length !== 5 || floats[0].length !== 1 || ints[0].length !== 1) throw new CorruptCacheError('unexpected parse cache sections');
  const [, sizes, mtimes] = floats;
  const [, pathLens, resultOf, keyLens, blockStart, segStart, data, removedLens] = ints;
  const [pathsText, keysText, segments, removedText, baseDigest] = texts;
  const n = pathLens.length;
  const m = keyLens.length;
  if (sizes.length !== n || mtimes.length !== n || resultOf.length !== n || blockStart.length !== m + 1 || segStart.length !== m + 1) throw new CorruptCacheError('parse cache sections disagree');
  if (blockStart[0] !== 0 || segStart[0] !== 0 || blockStart[m] !== data.length || segStart[m] !== segments.length) throw new CorruptCacheError('parse cache tables disagree');
  return {
    digest,
    baseDigest,
    removed: cutText(removedText, removedLens),
    parser: ints[0][0],
    readAt: floats[0][0],
    paths: cutText(pathsText, pathLens),
    sizes,
    mtimes,
    resultOf,
    keys: cutText(keysText, keyLens),
    blockStart,
    segStart,
    data,
    segments,
  };
}

/**
 * A cached parse result whose imports are decoded on first read: a run that takes every file's
 * resolutions from the resolution cache never reads them.
 */
export class CachedParsedSource implements ParsedSource {
  readonly parser: 'scan' | 'oxc';
  readonly error?: ParseFailure;
  #imports: PackedImport[] | undefined;
  readonly #cache: ParseCacheData;
  readonly #r: number;

  constructor(cache: ParseCacheData, r: number) {
    this.#cache = cache;
    this.#r = r;
    const pos = cache.blockStart[r];
    const head = cache.data[pos];
    this.parser = head & BY_OXC ? 'oxc' : 'scan';
    if (head & HAS_ERROR) {
      const start = cache.segStart[r];
      this.error = { message: cache.segments.slice(start, start + cache.data[pos + 2]), line: cache.data[pos + 1] };
    }
  }

  get imports(): PackedImport[] {
    return (this.#imports ??= this.#decode());
  }

  /** Serialises like a plain result (a getter alone would be left out). */
  toJSON(): ParsedSource {
    return { imports: this.imports, ...(this.error ? { error: this.error } : {}), parser: this.parser };
  }

  #decode(): PackedImport[] {
    const { data, segments } = this.#cache;
    let pos = this.#cache.blockStart[this.#r];
    let at = this.#cache.segStart[this.#r];
    const head = data[pos++];
    if (head & HAS_ERROR) {
      at += data[pos + 1];
      pos += 2;
    }
    const imports = new Array<PackedImport>(head >> 2);
    for (let i = 0; i < imports.length; i++, pos += 3) {
      const end = at + data[pos + 2];
      imports[i] = [segments.slice(at, end), data[pos] & 0xff, data[pos] >> 8, data[pos + 1]];
      at = end;
    }
    return imports;
  }
}
