import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { WorkerPool } from '@sparc/batch-core';
import type { DiscoveredFile } from '../discovery/discover';
import type { ParseCache } from '../cache/parse-cache';
import type { ParsedFile, ParseChunkTask } from '../../workers/parse-worker';
import { parseWorkerPath } from '../worker-path';
import { chunkByBytes, chunkCountFor } from './chunks';
import { contentHash, scanWithBailout, type ParserChoice } from './parse-source';
import { langOf, type ParsedSource } from './types';

export interface ParseFilesOptions {
  root: string;
  parser: ParserChoice;
  cache: ParseCache;
  /** The worker pool, created on first use (so small runs never start threads). */
  pool: () => WorkerPool;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /**
   * Up to this many bytes of files to parse, the main thread scans them alone: worker threads
   * each scan with cold JIT-compiled code and compete with V8's own compiler threads, and on two
   * cores the main thread alone was faster up to the largest corpus measured (effect, 21 MB).
   * Above it, the main thread scans beside the pool.
   * @default 32 MiB
   */
  inlineBytes?: number;
}

export interface ParseFilesStats {
  files: number;
  bytes: number;
  /** Files whose results came from the cache. */
  cached: number;
  /** Files parsed in this run, and how: inline on the main thread or in the pool. */
  parsed: number;
  parsedInline: number;
  parsedInPool: number;
  /** Chunks sent to the pool. */
  chunks: number;
  /** Files the scanner handed to oxc. */
  oxcFallbacks: number;
}

export interface ParseFilesResult {
  results: Map<string, ParsedSource>;
  /** Files that could not be read. */
  unreadable: Map<string, string>;
  stats: ParseFilesStats;
}

const DEFAULT_INLINE_BYTES = 32 * 1024 * 1024;
/** Bytes the main thread scans between looks at the event loop (a few milliseconds of work). */
const MAIN_SLICE_BYTES = 128 * 1024;
/** Bytes per task sent to a worker: small enough to even out the end, large enough that messages cost little. */
const POOL_CHUNK_BYTES = 512 * 1024;
const READ_CONCURRENCY = 32;

/** Parses every file, reusing cached results; returns the imports of each by path. */
export async function parseFiles(files: readonly DiscoveredFile[], options: ParseFilesOptions): Promise<ParseFilesResult> {
  const { cache } = options;
  const results = new Map<string, ParsedSource>();
  const unreadable = new Map<string, string>();
  const stats: ParseFilesStats = { files: files.length, bytes: 0, cached: 0, parsed: 0, parsedInline: 0, parsedInPool: 0, chunks: 0, oxcFallbacks: 0 };

  const candidates: DiscoveredFile[] = [];
  for (const file of files) {
    stats.bytes += file.size;
    const hit = cache.byStat(file.path, file.size, file.mtimeMs);
    if (hit !== undefined) {
      results.set(file.path, hit);
      stats.cached++;
    } else candidates.push(file);
  }

  // With a warm cache, changed files are read and hashed here first: a touched file with the same
  // content is a hit. On a cold cache there is nothing to find, so workers do the reading.
  let misses: Array<DiscoveredFile & { content?: Buffer }> = candidates;
  if (cache.enabled && cache.size > 0 && candidates.length > 0) {
    misses = [];
    for (let start = 0; start < candidates.length; start += READ_CONCURRENCY) {
      options.signal?.throwIfAborted();
      const slice = candidates.slice(start, start + READ_CONCURRENCY);
      const contents = await Promise.all(slice.map((f) => fsp.readFile(path.join(options.root, f.path)).catch((error: Error) => error)));
      slice.forEach((file, i) => {
        const content = contents[i];
        if (content instanceof Error) {
          unreadable.set(file.path, content.message);
          return;
        }
        const hit = cache.byHash(file.path, file.size, file.mtimeMs, langOf(file.path), contentHash(content));
        if (hit !== undefined) {
          results.set(file.path, hit);
          stats.cached++;
        } else misses.push({ ...file, content });
      });
    }
  }
  if (misses.length === 0) return { results, unreadable, stats };

  const missBytes = misses.reduce((sum, f) => sum + f.size, 0);
  if (options.parser !== 'auto') await parseInPool(misses, options, results, unreadable, stats);
  else await parseShared(misses, missBytes > (options.inlineBytes ?? DEFAULT_INLINE_BYTES) ? options.pool() : undefined, options, results, unreadable, stats);
  stats.parsed = stats.parsedInline + stats.parsedInPool;
  return { results, unreadable, stats };
}

/** Yields to the event loop so worker results (and an abort) are handled between main-thread slices. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The main thread scans files from the front of one queue while the pool's threads (when given)
 * take chunks of it: the main thread would only wait otherwise, and it does useful work while
 * the threads boot. Small runs get no pool and never start a thread.
 */
async function parseShared(
  misses: Array<DiscoveredFile & { content?: Buffer }>,
  pool: WorkerPool | undefined,
  options: ParseFilesOptions,
  results: Map<string, ParsedSource>,
  unreadable: Map<string, string>,
  stats: ParseFilesStats,
): Promise<void> {
  let next = 0;
  let stopped = false;
  let done = 0;
  const take = (maxBytes: number) => {
    const start = next;
    let bytes = 0;
    while (next < misses.length && (next === start || bytes + misses[next].size <= maxBytes)) bytes += misses[next++].size;
    return misses.slice(start, next);
  };
  const fallbacks: Array<{ file: DiscoveredFile; hash: string; source: string }> = [];

  const workerLane = async (module: string, pool: WorkerPool) => {
    for (let chunk = take(POOL_CHUNK_BYTES); chunk.length > 0 && !stopped; chunk = take(POOL_CHUNK_BYTES)) {
      stats.chunks++;
      const task: ParseChunkTask = { root: options.root, files: chunk.map((f) => f.path), parser: options.parser };
      const parsed = await pool.run<ParsedFile[]>({ module, exportName: 'parseChunk', payload: task }, { signal: options.signal });
      recordChunk(chunk, parsed, options, results, unreadable, stats);
      done += chunk.length;
      options.progress?.(`parsed ${done}/${misses.length} files`);
    }
  };
  const mainLane = async () => {
    for (let slice = take(MAIN_SLICE_BYTES); slice.length > 0 && !stopped; slice = take(MAIN_SLICE_BYTES)) {
      options.signal?.throwIfAborted();
      for (const file of slice) scanOnMainThread(file, options, results, unreadable, stats, fallbacks);
      done += slice.length;
      options.progress?.(`parsed ${done}/${misses.length} files`);
      if (pool !== undefined) await yieldToEventLoop();
    }
  };
  // Worker lanes queue their first chunks before the main thread starts, so threads boot meanwhile;
  // two lanes per thread keep a thread's next chunk waiting for it.
  const lanes = pool === undefined ? [] : Array.from({ length: pool.maxThreads * 2 }, () => workerLane(parseWorkerPath(), pool));
  await Promise.all([mainLane(), ...lanes].map((lane) => lane.catch((error: unknown) => {
    stopped = true;
    throw error;
  })));
  if (fallbacks.length === 0) return;
  // oxc-parser is ESM-only and native: it runs in a worker thread, which can import it.
  stats.oxcFallbacks += fallbacks.length;
  const parsed = await options.pool().run<ParsedSource[]>(
    { module: parseWorkerPath(), exportName: 'parseWithOxc', payload: { files: fallbacks.map((f) => ({ path: f.file.path, source: f.source })) } },
    { signal: options.signal },
  );
  fallbacks.forEach(({ file, hash }, i) => {
    options.cache.set(file.path, file.size, file.mtimeMs, langOf(file.path), hash, parsed[i]);
    results.set(file.path, parsed[i]);
    stats.parsedInPool++;
  });
}

/** Reads (unless already read), hashes and scans one file; a file the scanner cannot follow goes to `fallbacks`. */
function scanOnMainThread(
  file: DiscoveredFile & { content?: Buffer },
  options: ParseFilesOptions,
  results: Map<string, ParsedSource>,
  unreadable: Map<string, string>,
  stats: ParseFilesStats,
  fallbacks: Array<{ file: DiscoveredFile; hash: string; source: string }>,
): void {
  let content = file.content;
  if (content === undefined) {
    try {
      // Synchronous: one small read costs less than a trip through the thread pool, and the lane yields per slice.
      content = readFileSync(path.join(options.root, file.path));
    } catch (error) {
      unreadable.set(file.path, (error as Error).message);
      return;
    }
  }
  const hash = contentHash(content);
  const source = content.toString('utf8');
  const scanned = scanWithBailout(file.path, source);
  if (!scanned.ok) {
    fallbacks.push({ file, hash, source });
    return;
  }
  options.cache.set(file.path, file.size, file.mtimeMs, langOf(file.path), hash, scanned.result);
  results.set(file.path, scanned.result);
  stats.parsedInline++;
}

function recordChunk(chunk: readonly DiscoveredFile[], parsed: ParsedFile[], options: ParseFilesOptions, results: Map<string, ParsedSource>, unreadable: Map<string, string>, stats: ParseFilesStats): void {
  chunk.forEach((file, i) => {
    const outcome = parsed[i];
    if ('readError' in outcome) {
      unreadable.set(file.path, outcome.readError);
      return;
    }
    if (outcome.result.parser === 'oxc' && options.parser === 'auto') stats.oxcFallbacks++;
    options.cache.set(file.path, file.size, file.mtimeMs, langOf(file.path), outcome.hash, outcome.result);
    results.set(file.path, outcome.result);
    stats.parsedInPool++;
  });
}

async function parseInPool(
  misses: readonly DiscoveredFile[],
  options: ParseFilesOptions,
  results: Map<string, ParsedSource>,
  unreadable: Map<string, string>,
  stats: ParseFilesStats,
): Promise<void> {
  const pool = options.pool();
  const totalBytes = misses.reduce((sum, f) => sum + f.size, 0);
  const chunks = chunkByBytes(misses, chunkCountFor(totalBytes, pool.maxThreads));
  stats.chunks = chunks.length;
  const module = parseWorkerPath();
  let done = 0;
  await Promise.all(
    chunks.map(async (chunk) => {
      const task: ParseChunkTask = { root: options.root, files: chunk.map((f) => f.path), parser: options.parser };
      const parsed = await pool.run<ParsedFile[]>({ module, exportName: 'parseChunk', payload: task }, { signal: options.signal });
      recordChunk(chunk, parsed, options, results, unreadable, stats);
      done += chunk.length;
      options.progress?.(`parsed ${done}/${misses.length} files`);
    }),
  );
}
