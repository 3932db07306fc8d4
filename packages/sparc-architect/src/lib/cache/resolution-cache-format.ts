import { FLAGS_SHIFT, KIND_SHIFT, TAG_BUILTIN, TAG_EXTERNAL, TAG_MODULE, TAG_OUTSIDE, TAG_UNRESOLVED, TAG_WORKSPACE_MODULE } from '../graph/cached-imports';
import type { PackedImport } from '../parse/types';
import type { Resolution } from '../resolve/resolver';
import { CorruptCacheError, cutText, decodePacked, encodePacked, IntList } from './packed-file';

const KIND = 'RSLV';
const FORMAT = 2;

/**
 * The resolution cache as loaded. A full file has a row per module of the run that wrote it, by
 * index (the context hash covers the module list, so a usable cache has the same modules in the
 * same order); a delta file has rows for some modules, named in `rowModule`. Row i holds the parse
 * key its resolutions were made for (`keysText` from `keyStart[i]`, empty for a module without
 * one) and its imports in the form of `CachedImports`: integers in `data` from `rowStart[i]`,
 * texts in `rowsText` from `textStart[i]`.
 */
export interface ResolutionCacheData {
  /** This file's digest, which a delta file names as its base. */
  digest: string;
  /** For a delta file: the digest of the full file it amends ('' for a full file). */
  baseDigest: string;
  /** For a delta file: the module index of each row (empty for a full file: row i is module i). */
  rowModule: Int32Array;
  context: string;
  observed: Array<[string, string]>;
  rows: number;
  keysText: string;
  keyStart: Int32Array;
  rowStart: Int32Array;
  textStart: Int32Array;
  data: Int32Array;
  rowsText: string;
}

/** Builds a resolution cache file row by row; rows kept from the loaded cache are copied as they are. */
export class ResolutionCacheWriter {
  readonly #keys: string[] = [];
  readonly #keyStart = IntList.of(0);
  readonly #rowStart = IntList.of(0);
  readonly #textStart = IntList.of(0);
  readonly #rowModule = new IntList();
  #keyLength = 0;
  readonly #data = new IntList(1 << 16);
  readonly #texts: string[] = [];
  #textLength = 0;

  /** Copies rows `from` to `to` (exclusive) of the loaded cache. */
  copyRows(loaded: ResolutionCacheData, from: number, to: number): void {
    if (from >= to) return;
    const keys = loaded.keysText.slice(loaded.keyStart[from], loaded.keyStart[to]);
    this.#keys.push(keys);
    const keyShift = this.#keyLength - loaded.keyStart[from];
    const dataShift = this.#data.length - loaded.rowStart[from];
    const textShift = this.#textLength - loaded.textStart[from];
    for (let i = from; i < to; i++) {
      this.#rowModule.push(loaded.rowModule.length > 0 ? loaded.rowModule[i] : i);
      this.#keyStart.push(loaded.keyStart[i + 1] + keyShift);
      this.#rowStart.push(loaded.rowStart[i + 1] + dataShift);
      this.#textStart.push(loaded.textStart[i + 1] + textShift);
    }
    this.#keyLength += keys.length;
    this.#data.append(loaded.data.subarray(loaded.rowStart[from], loaded.rowStart[to]));
    const text = loaded.rowsText.slice(loaded.textStart[from], loaded.textStart[to]);
    this.#texts.push(text);
    this.#textLength += text.length;
  }

  /** A row for a module with no resolutions (it did not parse, or has no parse key). */
  emptyRow(module: number): void {
    this.#rowModule.push(module);
    this.#keyStart.push(this.#keyLength);
    this.#rowStart.push(this.#data.length);
    this.#textStart.push(this.#textLength);
  }

  /** A row of this run: each import with its resolution and, for a module, its index (`targets`). */
  addRow(module: number, parseKey: string, imports: readonly PackedImport[], resolutions: readonly Resolution[], targets: Int32Array): void {
    // A module target outside the module list cannot be stored by index: the file is resolved again next time.
    for (let i = 0; i < resolutions.length; i++) if (resolutions[i].kind === 'module' && targets[i] < 0) return this.emptyRow(module);
    this.#rowModule.push(module);
    this.#keys.push(parseKey);
    this.#keyLength += parseKey.length;
    this.#keyStart.push(this.#keyLength);
    const data = this.#data;
    let textOffset = 0;
    for (let i = 0; i < imports.length; i++) {
      const packed = imports[i];
      const r = resolutions[i];
      const kindAndFlags = (packed[1] << KIND_SHIFT) | (packed[2] << FLAGS_SHIFT);
      let text: string | undefined;
      switch (r.kind) {
        case 'module':
          data.push((r.via === 'workspace' ? TAG_WORKSPACE_MODULE : TAG_MODULE) | kindAndFlags);
          data.push(targets[i]);
          data.push(0);
          break;
        case 'external':
          data.push((r.builtin ? TAG_BUILTIN : TAG_EXTERNAL) | kindAndFlags);
          text = r.name;
          break;
        case 'outside':
          data.push(TAG_OUTSIDE | kindAndFlags);
          data.push(0);
          data.push(0);
          break;
        case 'unresolved':
          data.push(TAG_UNRESOLVED | kindAndFlags);
          text = packed[0];
          break;
      }
      if (text !== undefined) {
        this.#texts.push(text);
        data.push(textOffset);
        data.push(text.length);
        textOffset += text.length;
      }
      data.push(packed[3]);
    }
    this.#textLength += textOffset;
    this.#rowStart.push(data.length);
    this.#textStart.push(this.#textLength);
  }

  /** `baseDigest`: for a delta file, the digest of the full file it amends. */
  finish(context: string, observed: ReadonlyMap<string, string>, baseDigest?: string): Buffer {
    const factLens = new Int32Array(2 * observed.size);
    const facts: string[] = [];
    let f = 0;
    for (const [key, value] of observed) {
      factLens[f++] = key.length;
      factLens[f++] = value.length;
      facts.push(key, value);
    }
    return encodePacked(KIND, FORMAT, {
      floats: [],
      ints: [factLens, this.#keyStart.toArray(), this.#rowStart.toArray(), this.#textStart.toArray(), this.#data.toArray(), baseDigest === undefined ? new Int32Array(0) : this.#rowModule.toArray()],
      texts: [context, facts.join(''), this.#keys.join(''), this.#texts.join(''), baseDigest ?? ''],
    });
  }
}

/** Reads a resolution cache file (its digest vouches for the entries; only the shape of its tables is checked). */
export function decodeResolutionCache(buf: Buffer): ResolutionCacheData {
  const { floats, ints, texts, digest } = decodePacked(buf, KIND, FORMAT);
  if (floats.length !== 0 || ints.length !== 6 || texts.length !== 5) throw new CorruptCacheError('unexpected resolution cache sections');
  const [factLens, keyStart, rowStart, textStart, data, rowModule] = ints;
  const [context, factsText, keysText, rowsText, baseDigest] = texts;
  const facts = cutText(factsText, factLens);
  const observed: Array<[string, string]> = [];
  for (let i = 0; i < facts.length; i += 2) observed.push([facts[i], facts[i + 1]]);
  const rows = keyStart.length - 1;
  if (rows < 0 || (baseDigest !== '' && rowModule.length !== rows) || rowStart.length !== rows + 1 || textStart.length !== rows + 1 || keyStart[rows] !== keysText.length || rowStart[rows] !== data.length || textStart[rows] !== rowsText.length) {
    throw new CorruptCacheError('resolution cache tables disagree');
  }
  return { digest, baseDigest, rowModule, context, observed, rows, keysText, keyStart, rowStart, textStart, data, rowsText };
}
