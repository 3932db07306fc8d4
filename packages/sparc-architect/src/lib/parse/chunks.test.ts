import { chunkByBytes, chunkCountFor } from './chunks';

describe('chunks balanced by bytes', () => {
  it('keeps a few huge files from landing on one worker with the rest', () => {
    const files = [
      { path: 'gen/a.ts', size: 4_000_000 },
      { path: 'gen/b.ts', size: 3_900_000 },
      ...Array.from({ length: 400 }, (_, i) => ({ path: `src/f${i}.ts`, size: 20_000 })),
    ];
    const chunks = chunkByBytes(files, 8);
    const bytes = chunks.map((c) => c.reduce((sum, f) => sum + f.size, 0));
    expect(chunks.flat()).toHaveLength(files.length);
    // The two giants each get a chunk of their own; the largest chunk goes first.
    expect(chunks[0].map((f) => f.path)).toEqual(['gen/a.ts']);
    expect(chunks.filter((c) => c.some((f) => f.path.startsWith('gen/')))).toHaveLength(2);
    expect(bytes[0]).toBe(Math.max(...bytes));
    // The small files are spread so no chunk holds much more than its share of them.
    const small = bytes.slice(2);
    expect(Math.max(...small) - Math.min(...small)).toBeLessThanOrEqual(20_000 + 512);
  });

  it('asks for a few chunks per thread, but none tiny', () => {
    expect(chunkCountFor(50 * 1024 * 1024, 2)).toBe(8);
    expect(chunkCountFor(200 * 1024, 2)).toBe(2);
    expect(chunkCountFor(1, 4)).toBe(1);
  });
});
