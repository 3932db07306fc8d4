import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { tempDir, type TempDir } from '../../__tests__/helpers';
import { PARSER_VERSION } from '../parse/parse-source';
import type { ParsedSource } from '../parse/types';
import { ParseCache } from './parse-cache';
import { ParseCacheWriter } from './parse-cache-format';

/** Stats well before any run's start, so entries are trusted by stat (not racy). */
const OLD = Date.now() - 3_600_000;

function result(n: number): ParsedSource {
  return { imports: [[`./dep-${n}`, 0, 0, n + 1], [`pkg-${n}`, 4, 1, n + 2]], parser: 'scan' };
}

/** A cache holding `count` files `src/f<i>.ts` (size i + 1, content hash `h<i>`), saved. */
async function filled(root: string, count: number): Promise<void> {
  const cache = await ParseCache.open(root, true);
  for (let i = 0; i < count; i++) cache.set(`src/f${i}.ts`, i + 1, OLD, 'ts', `h${i}`, result(i));
  await cache.save();
}

/** Looks up every file by its recorded stat, as a run over an unchanged tree does. */
function lookUpAll(cache: ParseCache, count: number, except = new Set<number>()): void {
  for (let i = 0; i < count; i++) if (!except.has(i)) expect(cache.byStat(`src/f${i}.ts`, i + 1, OLD)).toBeDefined();
}

describe('parse cache files', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await tempDir('parse-cache');
  });
  afterEach(() => tmp.cleanup());

  it('reads back results by stat, with imports, errors and the parser that made them', async () => {
    const cache = await ParseCache.open(tmp.dir, true);
    cache.set('src/a.ts', 10, OLD, 'ts', 'ha', result(1));
    cache.set('src/b.tsx', 20, OLD, 'tsx', 'hb', { imports: [], error: { message: 'Unexpected token ü', line: 3 }, parser: 'oxc' });
    await cache.save();

    const again = await ParseCache.open(tmp.dir, true);
    const a = again.byStat('src/a.ts', 10, OLD);
    expect(a?.imports).toEqual(result(1).imports);
    expect(a?.parser).toBe('scan');
    expect(JSON.parse(JSON.stringify(a))).toEqual(result(1));
    const b = again.byStat('src/b.tsx', 20, OLD);
    expect(b).toMatchObject({ imports: [], error: { message: 'Unexpected token ü', line: 3 }, parser: 'oxc' });
    expect(again.keyOf('src/b.tsx')).toBe('tsx:hb');
    expect(again.byStat('src/a.ts', 11, OLD)).toBeUndefined();
    expect(again.stats).toEqual({ statHits: 2, hashHits: 0, misses: 0 });
  });

  it('finds a touched file with the same content by its hash, and a changed one not at all', async () => {
    await filled(tmp.dir, 3);
    const cache = await ParseCache.open(tmp.dir, true);
    expect(cache.byStat('src/f1.ts', 2, OLD + 5000)).toBeUndefined();
    expect(cache.byHash('src/f1.ts', 2, OLD + 5000, 'ts', 'h1')?.imports).toEqual(result(1).imports);
    expect(cache.byHash('src/f2.ts', 3, OLD + 5000, 'ts', 'changed')).toBeUndefined();
    expect(cache.stats).toEqual({ statHits: 0, hashHits: 1, misses: 0 });
  });

  it('writes a few changes to a delta file, and reads the full file with the delta', async () => {
    await filled(tmp.dir, 100);
    const full = await fsp.readFile(path.join(tmp.dir, '.sparc/cache/architect/parse-cache.bin'));
    const cache = await ParseCache.open(tmp.dir, true);
    lookUpAll(cache, 100, new Set([7, 8, 9]));
    cache.byHash('src/f7.ts', 8, OLD + 1000, 'ts', 'h7'); // touched
    cache.set('src/f8.ts', 99, OLD + 1000, 'ts', 'new-8', result(80)); // edited
    cache.set('src/new.ts', 5, OLD, 'ts', 'h-new', result(5)); // added; f9 is gone
    await cache.save();
    expect(existsSync(cache.deltaFile)).toBe(true);
    expect(await fsp.readFile(cache.file)).toEqual(full);

    const again = await ParseCache.open(tmp.dir, true);
    lookUpAll(again, 100, new Set([7, 8, 9]));
    expect(again.byStat('src/f7.ts', 8, OLD + 1000)?.imports).toEqual(result(7).imports);
    expect(again.byStat('src/f8.ts', 99, OLD + 1000)?.imports).toEqual(result(80).imports);
    expect(again.byStat('src/new.ts', 5, OLD)?.imports).toEqual(result(5).imports);
    expect(again.byStat('src/f9.ts', 10, OLD)).toBeUndefined();
    expect(again.keyOf('src/f9.ts')).toBeUndefined();
    expect(again.stats.statHits).toBe(100);

    // Nothing changed since: nothing is written.
    const before = await fsp.stat(again.deltaFile);
    await again.save();
    expect((await fsp.stat(again.deltaFile)).mtimeMs).toBe(before.mtimeMs);
  });

  it('drops files a caller says are gone even if they were looked up', async () => {
    await filled(tmp.dir, 10);
    const cache = await ParseCache.open(tmp.dir, true);
    lookUpAll(cache, 10);
    await cache.save(new Set(Array.from({ length: 9 }, (_, i) => `src/f${i}.ts`)));
    const again = await ParseCache.open(tmp.dir, true);
    expect(again.byStat('src/f9.ts', 10, OLD)).toBeUndefined();
    expect(again.byStat('src/f8.ts', 9, OLD)).toBeDefined();
  });

  it('writes the full file again, and drops the delta, once many files changed', async () => {
    await filled(tmp.dir, 100);
    const cache = await ParseCache.open(tmp.dir, true);
    for (let i = 0; i < 100; i++) cache.set(`src/f${i}.ts`, i + 1, OLD + 1000, 'ts', `v2-${i}`, result(i + 1));
    await cache.save();
    expect(existsSync(cache.deltaFile)).toBe(false);
    const again = await ParseCache.open(tmp.dir, true);
    expect(again.byStat('src/f42.ts', 43, OLD + 1000)?.imports).toEqual(result(43).imports);
    expect(again.keyOf('src/f42.ts')).toBe('ts:v2-42');
  });

  it('ignores a delta written against another full file', async () => {
    await filled(tmp.dir, 10);
    const cache = await ParseCache.open(tmp.dir, true);
    lookUpAll(cache, 10, new Set([3]));
    cache.set('src/f3.ts', 4, OLD + 1000, 'ts', 'edited', result(33));
    await cache.save();
    const staleDelta = await fsp.readFile(cache.deltaFile);
    // Another run writes a new full file (of one more file); the old delta comes back.
    await fsp.rm(path.dirname(cache.file), { recursive: true });
    await filled(tmp.dir, 11);
    await fsp.writeFile(cache.deltaFile, staleDelta);

    const again = await ParseCache.open(tmp.dir, true);
    expect(again.byStat('src/f3.ts', 4, OLD + 1000)).toBeUndefined();
    expect(again.byStat('src/f3.ts', 4, OLD)?.imports).toEqual(result(3).imports);
  });

  it.each([
    ['garbage', () => Buffer.from('{ not a cache')],
    ['an empty file', () => Buffer.alloc(0)],
    ['a truncated file', (full: Buffer) => full.subarray(0, Math.floor(full.length / 2))],
    ['a damaged byte', (full: Buffer) => Buffer.from(full.map((byte, i) => (i === full.length - 10 ? byte ^ 1 : byte)))],
    ['another format version', (full: Buffer) => Buffer.from(full.map((byte, i) => (i === 12 ? byte + 1 : byte)))],
  ])('starts empty from %s', async (_, damage: (full: Buffer) => Buffer) => {
    await filled(tmp.dir, 5);
    const file = path.join(tmp.dir, '.sparc/cache/architect/parse-cache.bin');
    await fsp.writeFile(file, damage(await fsp.readFile(file)));
    const cache = await ParseCache.open(tmp.dir, true);
    expect(cache.size).toBe(0);
    expect(cache.byStat('src/f1.ts', 2, OLD)).toBeUndefined();
    // And the next save replaces the file with a good one.
    cache.set('src/f1.ts', 2, OLD, 'ts', 'h1', result(1));
    await cache.save();
    expect((await ParseCache.open(tmp.dir, true)).byStat('src/f1.ts', 2, OLD)).toBeDefined();
  });

  it('ignores results of another parser version', async () => {
    const writer = new ParseCacheWriter(1);
    writer.addFile('src/a.ts', 1, OLD, 0);
    writer.addResult('ts:h', result(1));
    const dir = path.join(tmp.dir, '.sparc/cache/architect');
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, 'parse-cache.bin'), writer.finish(PARSER_VERSION + 1, Date.now()));
    expect((await ParseCache.open(tmp.dir, true)).size).toBe(0);
  });

  it('does not trust by stat an entry modified within two seconds of the run that cached it', async () => {
    const cache = await ParseCache.open(tmp.dir, true);
    const recent = Date.now();
    cache.set('src/a.ts', 1, recent, 'ts', 'h', result(1));
    await cache.save();
    const again = await ParseCache.open(tmp.dir, true);
    expect(again.byStat('src/a.ts', 1, recent)).toBeUndefined();
    expect(again.byHash('src/a.ts', 1, recent, 'ts', 'h')).toBeDefined();
  });

  it('writes an entry that was too recent to trust once it is old enough, so the next run trusts it', async () => {
    const first = await ParseCache.open(tmp.dir, true);
    // Modified just before the first run started reading: racy for it.
    const mtime = Date.now() - 1990;
    first.set('src/a.ts', 1, mtime, 'ts', 'h', result(1));
    await first.save();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await ParseCache.open(tmp.dir, true);
    expect(second.byStat('src/a.ts', 1, mtime)).toBeUndefined();
    expect(second.byHash('src/a.ts', 1, mtime, 'ts', 'h')).toBeDefined();
    await second.save();
    expect(existsSync(second.deltaFile)).toBe(true);
    expect((await ParseCache.open(tmp.dir, true)).byStat('src/a.ts', 1, mtime)).toBeDefined();
  });

  it('reads and writes nothing when disabled', async () => {
    await filled(tmp.dir, 3);
    const cache = await ParseCache.open(tmp.dir, false);
    expect(cache.byStat('src/f1.ts', 2, OLD)).toBeUndefined();
    cache.set('src/x.ts', 1, OLD, 'ts', 'x', result(1));
    await cache.save();
    expect(cache.stats.misses).toBe(1);
    expect(existsSync(cache.deltaFile)).toBe(false);
  });

  it('keeps a file whole when two runs save at the same time', async () => {
    await filled(tmp.dir, 200);
    const runs = await Promise.all([0, 1, 2, 3].map(() => ParseCache.open(tmp.dir, true)));
    runs.forEach((cache, k) => {
      for (let i = 0; i < 200; i++) cache.set(`src/f${i}.ts`, i + 1, OLD + k + 1, 'ts', `run${k}-${i}`, result(i));
    });
    await Promise.all(runs.map((cache) => cache.save()));
    const after = await ParseCache.open(tmp.dir, true);
    expect(after.size).toBe(200);
    const winner = [0, 1, 2, 3].find((k) => after.byStat('src/f0.ts', 1, OLD + k + 1) !== undefined);
    expect(winner).toBeDefined();
    for (let i = 0; i < 200; i++) expect(after.keyOf(`src/f${i}.ts`)).toBe(`ts:run${winner}-${i}`);
    expect((await fsp.readdir(path.dirname(after.file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
