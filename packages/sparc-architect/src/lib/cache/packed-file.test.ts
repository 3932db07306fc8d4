import { CorruptCacheError, cutText, decodePacked, encodePacked, IntList } from './packed-file';
import { PathIndex } from './path-index';

function sample(): Buffer {
  return encodePacked('TEST', 3, {
    floats: [Float64Array.of(1.5, 1732000000000.25), new Float64Array(0)],
    ints: [Int32Array.of(-1, 0, 2147483647), Int32Array.of(7)],
    texts: ['src/a.ts', 'ünïcode: src/日本/モジュール.ts', ''],
  });
}

describe('packed cache files', () => {
  it('reads back what it wrote: floats, ints and texts (Latin-1 or not)', () => {
    const { floats, ints, texts, digest } = decodePacked(sample(), 'TEST', 3);
    expect(floats.map((f) => [...f])).toEqual([[1.5, 1732000000000.25], []]);
    expect(ints.map((i) => [...i])).toEqual([[-1, 0, 2147483647], [7]]);
    expect(texts).toEqual(['src/a.ts', 'ünïcode: src/日本/モジュール.ts', '']);
    expect(digest).toMatch(/^[0-9a-f]+:\d+$/);
  });

  it('reads a buffer that does not start on an 8-byte boundary', () => {
    const buf = sample();
    const shifted = Buffer.alloc(buf.length + 3);
    buf.copy(shifted, 3);
    expect(decodePacked(shifted.subarray(3), 'TEST', 3).texts[0]).toBe('src/a.ts');
  });

  it('refuses another kind, another version, a truncated file, trailing bytes and a damaged byte', () => {
    const buf = sample();
    expect(() => decodePacked(buf, 'ELSE', 3)).toThrow(CorruptCacheError);
    expect(() => decodePacked(buf, 'TEST', 4)).toThrow(/version 3/);
    expect(() => decodePacked(buf.subarray(0, buf.length - 8), 'TEST', 3)).toThrow(CorruptCacheError);
    expect(() => decodePacked(Buffer.concat([buf, Buffer.alloc(8)]), 'TEST', 3)).toThrow(CorruptCacheError);
    const damaged = Buffer.from(buf);
    damaged[damaged.length - 5] ^= 0x20;
    expect(() => decodePacked(damaged, 'TEST', 3)).toThrow(/checksum/);
    expect(() => decodePacked(Buffer.from('{ "not": "a cache" }'), 'TEST', 3)).toThrow(CorruptCacheError);
    expect(() => decodePacked(Buffer.alloc(0), 'TEST', 3)).toThrow(CorruptCacheError);
  });

  it('cuts a text by lengths, and refuses lengths that do not add up', () => {
    expect(cutText('abcdef', Int32Array.of(1, 0, 5))).toEqual(['a', '', 'bcdef']);
    expect(() => cutText('abc', Int32Array.of(1, 1))).toThrow(CorruptCacheError);
    expect(() => cutText('abc', Int32Array.of(4))).toThrow(CorruptCacheError);
  });

  it('grows an IntList by pushes and appended runs', () => {
    const list = new IntList(2);
    for (let i = 0; i < 5; i++) list.push(i);
    list.append(Int32Array.of(10, 11, 12, 13, 14, 15, 16, 17));
    list.push(-1);
    expect([...list.toArray()]).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, -1]);
  });
});

describe('path index', () => {
  const sorted = ['a/x.ts', 'a/y.ts', 'b/z.ts', 'c.ts'];

  it('finds paths asked for in order, out of order, twice in a row, and added ones', () => {
    const index = new PathIndex([...sorted]);
    const cursor = { next: 0 };
    expect(sorted.map((p) => index.find(p, cursor))).toEqual([0, 1, 2, 3]);
    expect(index.find('c.ts', cursor)).toBe(3);
    expect(index.find('a/y.ts', cursor)).toBe(1);
    expect(cursor.next).toBe(2);
    expect(index.find('b/missing.ts', cursor)).toBeUndefined();
    expect(index.add('0-added.ts')).toBe(4);
    expect(index.find('0-added.ts', { next: 0 })).toBe(4);
    expect(index.find('a/x.ts', { next: 4 })).toBe(0);
    expect(index.size).toBe(5);
  });
});
