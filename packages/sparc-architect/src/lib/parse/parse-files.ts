import { promises as fsp } from 'node:fs';
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
   * Below this many bytes of files to parse, the main thread scans them itself: starting worker
   * threads costs more than it saves.
   * @default 1 MiB
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

const DEFAULT_INLINE_BYTES = 1024 * 1024;
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
  const inline = options.parser === 'auto' && missBytes <= (options.inlineBytes ?? DEFAULT_INLINE_BYTES);
  if (inline) await parseInline(misses, options, results, unreadable, stats);
  else await parseInPool(misses, options, results, unreadable, stats);
  stats.parsed = stats.parsedInline + stats.parsedInPool;
  return { results, unreadable, stats };
}

async function parseInline(
  misses: Array<DiscoveredFile & { content?: Buffer }>,
  options: ParseFilesOptions,
  results: Map<string, ParsedSource>,
  unreadable: Map<string, string>,
  stats: ParseFilesStats,
): Promise<void> {
  const fallbacks: Array<{ file: DiscoveredFile; hash: string; source: string }> = [];
  for (const file of misses) {
    options.signal?.throwIfAborted();
    let content = file.content;
    if (content === undefined) {
      try {
        content = await fsp.readFile(path.join(options.root, file.path));
      } catch (error) {
        unreadable.set(file.path, (error as Error).message);
        continue;
      }
    }
    const hash = contentHash(content);
    const source = content.toString('utf8');
    const scanned = scanWithBailout(file.path, source);
    if (!scanned.ok) {
      fallbacks.push({ file, hash, source });
      continue;
    }
    options.cache.set(file.path, file.size, file.mtimeMs, langOf(file.path), hash, scanned.result);
    results.set(file.path, scanned.result);
    stats.parsedInline++;
  }
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
      done += chunk.length;
      options.progress?.(`parsed ${done}/${misses.length} files`);
    }),
  );
}
