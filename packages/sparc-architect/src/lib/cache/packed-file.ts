import { crc32 } from 'node:zlib';

/**
 * The binary container of the architect caches: a header, then sections of 64-bit floats, 32-bit
 * integers and texts (strings stored whole, which the caller cuts by lengths it keeps in an integer
 * section), each with its length in the header. Loading one allocates a few typed-array views and a
 * few long strings instead of an object per entry (what JSON.parse of the same data costs), and
 * what a run does not look at is never decoded.
 *
 * Layout (numbers in the machine's byte order, checked by a marker; every section starts 8-aligned):
 *   magic "SPARCACH" · kind (4 ASCII bytes) · version · byte-order marker · float section count ·
 *   int section count · text count · total byte length · CRC-32 of everything else
 *   element count of each float and int section; per text its encoding and its length in bytes
 *   float sections · int sections · texts
 *
 * The checksum is what makes the content trustworthy: a file that matches it is one this code wrote
 * (whole, not truncated, not damaged), so readers check only the shape of the sections, not every
 * entry, and a damaged file is ignored rather than read as wrong data. CRC-32 (zlib's, several GB/s)
 * is enough against damage, and with the length it names a file for the delta files that amend it.
 */

const MAGIC = 'SPARCACH';
const BYTE_ORDER_MARK = 0x01020304;
const LATIN1 = 0;
const UTF16 = 1;
/** magic (8) + kind (4) + six 32-bit fields + the checksum (4), padded to 8. */
const CHECKSUM_AT = 36;
const FIXED_HEADER_BYTES = 40;
const NOT_LATIN1 = /[\u0100-\uffff]/;

/** The cache file is not one this code wrote (truncated, corrupt, another kind or version). */
export class CorruptCacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptCacheError';
  }
}

export interface PackedSections {
  floats: Float64Array[];
  ints: Int32Array[];
  texts: string[];
}

export interface DecodedSections extends PackedSections {
  /** Names this exact content (checksum and length), for a file that builds on it. */
  digest: string;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Encodes sections under a 4-character kind and a version; `decodePacked` with the same kind and version reads them back. */
export function encodePacked(kind: string, version: number, sections: PackedSections): Buffer {
  if (kind.length !== 4) throw new RangeError(`cache kind must be 4 characters: ${kind}`);
  const { floats, ints, texts } = sections;
  // Latin-1 keeps one byte per character (paths and specifiers nearly always fit); UTF-16 keeps any string as it is.
  const encodings = texts.map((t) => (NOT_LATIN1.test(t) ? UTF16 : LATIN1));
  const textBytes = texts.map((t, i) => (encodings[i] === UTF16 ? t.length * 2 : t.length));
  const tableInts = floats.length + ints.length + 2 * texts.length;
  let bytes = FIXED_HEADER_BYTES + align8(tableInts * 4);
  for (const f of floats) bytes += f.byteLength;
  for (const i of ints) bytes += align8(i.byteLength);
  for (const b of textBytes) bytes += align8(b);

  const out = Buffer.alloc(bytes);
  out.write(MAGIC, 0, 'latin1');
  out.write(kind, 8, 'latin1');
  new Int32Array(out.buffer, out.byteOffset + 12, 6).set([version, BYTE_ORDER_MARK, floats.length, ints.length, texts.length, bytes]);
  const table = new Int32Array(out.buffer, out.byteOffset + FIXED_HEADER_BYTES, tableInts);
  let t = 0;
  for (const f of floats) table[t++] = f.length;
  for (const i of ints) table[t++] = i.length;
  texts.forEach((_, i) => {
    table[t++] = encodings[i];
    table[t++] = textBytes[i];
  });
  let at = FIXED_HEADER_BYTES + align8(tableInts * 4);
  for (const f of floats) {
    new Float64Array(out.buffer, out.byteOffset + at, f.length).set(f);
    at += f.byteLength;
  }
  for (const i of ints) {
    new Int32Array(out.buffer, out.byteOffset + at, i.length).set(i);
    at += align8(i.byteLength);
  }
  texts.forEach((text, i) => {
    out.write(text, at, encodings[i] === UTF16 ? 'utf16le' : 'latin1');
    at += align8(textBytes[i]);
  });
  out.writeUInt32LE(checksumOf(out), CHECKSUM_AT);
  return out;
}

/** Reads what `encodePacked` wrote; throws CorruptCacheError for anything else. */
export function decodePacked(data: Buffer, kind: string, version: number): DecodedSections {
  // Typed-array views need aligned offsets; a buffer from fs.readFile normally starts at 0.
  const buf = data.byteOffset % 8 === 0 ? data : alignedCopy(data);
  if (buf.length < FIXED_HEADER_BYTES || buf.toString('latin1', 0, 8) !== MAGIC) throw new CorruptCacheError('not a cache file');
  if (buf.toString('latin1', 8, 12) !== kind) throw new CorruptCacheError('another kind of cache');
  const [fileVersion, mark, floatCount, intCount, textCount, totalBytes] = new Int32Array(buf.buffer, buf.byteOffset + 12, 6);
  if (fileVersion !== version) throw new CorruptCacheError(`cache version ${fileVersion}, expected ${version}`);
  if (mark !== BYTE_ORDER_MARK) throw new CorruptCacheError('written with another byte order');
  if (totalBytes !== buf.length) throw new CorruptCacheError(`cache is ${buf.length} bytes, its header says ${totalBytes}`);
  if (floatCount < 0 || intCount < 0 || textCount < 0) throw new CorruptCacheError('bad cache header');
  if (checksumOf(buf) !== buf.readUInt32LE(CHECKSUM_AT)) throw new CorruptCacheError('cache content does not match its checksum');

  let at = FIXED_HEADER_BYTES;
  const take = (byteLength: number): number => {
    const start = at;
    at += align8(byteLength);
    if (byteLength < 0 || at > buf.length) throw new CorruptCacheError('cache section runs past the end');
    return buf.byteOffset + start;
  };
  const tableInts = floatCount + intCount + 2 * textCount;
  const table = new Int32Array(buf.buffer, take(tableInts * 4), tableInts);
  let t = 0;
  const floats: Float64Array[] = [];
  for (let f = 0; f < floatCount; f++, t++) floats.push(new Float64Array(buf.buffer, take(table[t] * 8), table[t]));
  const ints: Int32Array[] = [];
  for (let i = 0; i < intCount; i++, t++) ints.push(new Int32Array(buf.buffer, take(table[t] * 4), table[t]));
  const texts: string[] = [];
  for (let i = 0; i < textCount; i++, t += 2) {
    const [encoding, byteLength] = [table[t], table[t + 1]];
    if ((encoding !== LATIN1 && encoding !== UTF16) || (encoding === UTF16 && byteLength % 2 !== 0)) throw new CorruptCacheError('bad text section');
    const start = take(byteLength) - buf.byteOffset;
    texts.push(buf.toString(encoding === UTF16 ? 'utf16le' : 'latin1', start, start + byteLength));
  }
  if (at !== buf.length) throw new CorruptCacheError('cache has trailing bytes');
  return { floats, ints, texts, digest: `${buf.readUInt32LE(CHECKSUM_AT).toString(16)}:${buf.length}` };
}

/** CRC-32 of the whole file but the checksum itself. */
function checksumOf(buf: Buffer): number {
  return crc32(buf.subarray(FIXED_HEADER_BYTES), crc32(buf.subarray(0, CHECKSUM_AT)));
}

function alignedCopy(data: Buffer): Buffer {
  const copy = new Uint8Array(data.length);
  copy.set(data);
  return Buffer.from(copy.buffer, 0, copy.length);
}

/** A growing list of 32-bit integers, to encode into without a number[] in between. */
export class IntList {
  #data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.#data = new Int32Array(Math.max(16, capacity));
  }

  static of(...values: number[]): IntList {
    const list = new IntList();
    for (const v of values) list.push(v);
    return list;
  }

  push(value: number): void {
    if (this.length === this.#data.length) this.#grow(this.length + 1);
    this.#data[this.length++] = value;
  }

  /** Appends a run of integers at once. */
  append(values: Int32Array): void {
    if (this.length + values.length > this.#data.length) this.#grow(this.length + values.length);
    this.#data.set(values, this.length);
    this.length += values.length;
  }

  toArray(): Int32Array {
    return this.#data.subarray(0, this.length);
  }

  #grow(needed: number): void {
    const grown = new Int32Array(Math.max(needed, this.#data.length * 2));
    grown.set(this.#data.subarray(0, this.length));
    this.#data = grown;
  }
}

/** Cuts a text into the pieces whose lengths are given; throws when they do not add up to it. */
export function cutText(text: string, lengths: Int32Array): string[] {
  const out: string[] = new Array(lengths.length);
  let pos = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = pos + lengths[i];
    if (lengths[i] < 0 || end > text.length) throw new CorruptCacheError('text pieces run past the end');
    out[i] = text.slice(pos, end);
    pos = end;
  }
  if (pos !== text.length) throw new CorruptCacheError('text pieces do not cover the text');
  return out;
}
