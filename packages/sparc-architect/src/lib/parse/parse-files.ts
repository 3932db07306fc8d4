import { promises as fsp } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { WorkerPool } from '@sparc/batch-core';
import type { DiscoveredFile } from '../discovery/discover';
import type { ParseCache } from '../cache/parse-cache';
import type { ParsedFile, ParseChunkTask } from '../../workers/parse-worker';
import { parseWorkerPath } from '../worker-path';
import { chunkByBytes, chunkCountFor } from './chunks';
import { lexerMayTake } from './lex-module';
import { offMainThread, parseShared, type FileOutcome, type MissedFile } from './parse-shared';
import { contentHash, type ParserChoice } from './parse-source';
import type { ParseThread } from './parse-thread';
import { langOf, type ParsedSource } from './types';

export interface ParseFilesOptions {
  root: string;
  parser: ParserChoice;
  /** Results of earlier runs; without it (or with a disabled one) every file is read and parsed, unhashed. */
  cache?: ParseCache;
  /** The worker pool, created on first use (so small runs never start threads). */
  pool: () => WorkerPool;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /**
   * Up to this many bytes of JavaScript files to parse, the main thread parses without the parse
   * thread: below it, the thread costs more than it saves. Above it, a thread reads JavaScript
   * files and lexes the ES modules among them beside the main thread. TypeScript does not count:
   * only the main thread's scanner reads it. Explicit values apply even on one core.
   * @default DEFAULT_THREAD_BYTES; no thread on one core
   */
  threadBytes?: number;
  /**
   * Above this many bytes of files to parse, the worker pool's threads scan chunks too: each scans
   * with cold JIT-compiled code and competes with V8's own compiler threads, and on two cores the
   * main thread alone was faster up to the largest corpus measured (effect, 21 MB).
   * @default 32 MiB
   */
  inlineBytes?: number;
}

export interface ParseFilesStats {
  files: number;
  bytes: number;
  /** Files whose results came from the cache. */
  cached: number;
  /** Files parsed in this run, and where: inline on the main thread or in a worker thread (the parse thread or the pool). */
  parsed: number;
  parsedInline: number;
  parsedInPool: number;
  /** Chunks the pool parsed, plus batches the parse thread sent. */
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

/**
 * The thread boots (~40 ms) while the main thread parses, and pays its own warm-up. Measured on two
 * cores: 4.7 MB of JavaScript (three.js src, all lexed) was slower with it, 9.6 MB (examples/jsm,
 * much of it minified bundles for the scanner) about even, 13 MB (both) and 26 MB faster.
 */
const DEFAULT_THREAD_BYTES = 10 * 1024 * 1024;
const DEFAULT_INLINE_BYTES = 32 * 1024 * 1024;
const READ_CONCURRENCY = 32;

/** Parses every file, reusing cached results; returns the imports of each by path. */
export async function parseFiles(files: readonly DiscoveredFile[], options: ParseFilesOptions): Promise<ParseFilesResult> {
  const cache = options.cache;
  const results = new Map<string, ParsedSource>();
  const unreadable = new Map<string, string>();
  const stats: ParseFilesStats = { files: files.length, bytes: 0, cached: 0, parsed: 0, parsedInline: 0, parsedInPool: 0, chunks: 0, oxcFallbacks: 0 };

  const candidates: DiscoveredFile[] = [];
  for (const file of files) {
    stats.bytes += file.size;
    const hit = cache?.byStat(file.path, file.size, file.mtimeMs);
    if (hit !== undefined) {
      results.set(file.path, hit);
      stats.cached++;
    } else candidates.push(file);
  }

  // With a warm cache, changed files are read and hashed here first: a touched file with the same
  // content is a hit. On a cold cache there is nothing to find, so workers do the reading.
  let misses: MissedFile[] = candidates;
  if (cache !== undefined && cache.enabled && cache.size > 0 && candidates.length > 0) {
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
  let thread: ParseThread | undefined;
  try {
    if (misses.length === 0) return { results, unreadable, stats };
    if (options.parser !== 'auto') recordOutcomes(misses, await parseInPool(misses, options, stats), options, results, unreadable, stats);
    else {
      const missBytes = misses.reduce((sum, f) => sum + f.size, 0);
      // The thread's work is es-module-lexer's: JavaScript files (TypeScript is the main thread's scanner's).
      const lexableBytes = misses.reduce((sum, f) => (lexerMayTake(f.path) ? sum + f.size : sum), 0);
      if (lexableBytes > (options.threadBytes ?? defaultThreadBytes())) thread = startParseThread();
      const pool = missBytes > (options.inlineBytes ?? DEFAULT_INLINE_BYTES) ? options.pool() : undefined;
      const shared = await parseShared(misses, { root: options.root, thread, pool, oxcPool: options.pool, hash: cache?.enabled === true, signal: options.signal, progress: options.progress });
      stats.chunks += shared.chunks;
      stats.oxcFallbacks += shared.oxcFallbacks;
      recordOutcomes(misses, shared.outcomes, options, results, unreadable, stats);
    }
    stats.parsed = stats.parsedInline + stats.parsedInPool;
    return { results, unreadable, stats };
  } finally {
    // The thread is no use after parsing; closing it frees its core for the graph work.
    thread?.close();
  }
}

function defaultThreadBytes(): number {
  // On one core a thread only takes turns with the main thread.
  return availableParallelism() > 1 ? DEFAULT_THREAD_BYTES : Number.POSITIVE_INFINITY;
}

/** Starts the parse thread; its client (and worker_threads) load only then, as most runs have none. */
function startParseThread(): ParseThread {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ParseThread: Thread } = require('./parse-thread') as typeof import('./parse-thread');
  // The compiled entry, beside the pool's: worker threads load JavaScript only.
  return Thread.start(path.join(path.dirname(parseWorkerPath()), 'parse-thread.js'));
}

/** Records outcomes in the files' order, whichever thread produced them, so the cache and errors come out the same every run. */
function recordOutcomes(misses: readonly MissedFile[], outcomes: readonly FileOutcome[], options: ParseFilesOptions, results: Map<string, ParsedSource>, unreadable: Map<string, string>, stats: ParseFilesStats): void {
  outcomes.forEach((outcome, i) => {
    const file = misses[i];
    if ('readError' in outcome) {
      unreadable.set(file.path, outcome.readError);
      return;
    }
    options.cache?.set(file.path, file.size, file.mtimeMs, langOf(file.path), outcome.hash, outcome.result);
    results.set(file.path, outcome.result);
    if (outcome.inline) stats.parsedInline++;
    else stats.parsedInPool++;
  });
}

/** Every file in the pool's threads (oxc for every file), in chunks balanced by bytes. */
async function parseInPool(misses: readonly MissedFile[], options: ParseFilesOptions, stats: ParseFilesStats): Promise<FileOutcome[]> {
  const pool = options.pool();
  const totalBytes = misses.reduce((sum, f) => sum + f.size, 0);
  const chunks = chunkByBytes(misses.map((file, index) => ({ index, size: file.size })), chunkCountFor(totalBytes, pool.maxThreads));
  stats.chunks = chunks.length;
  const module = parseWorkerPath();
  const outcomes: FileOutcome[] = new Array(misses.length);
  let done = 0;
  await Promise.all(
    chunks.map(async (chunk) => {
      const task: ParseChunkTask = { root: options.root, files: chunk.map((c) => misses[c.index].path), parser: options.parser };
      const parsed = await pool.run<ParsedFile[]>({ module, exportName: 'parseChunk', payload: task }, { signal: options.signal });
      chunk.forEach((c, k) => {
        const outcome = parsed[k];
        outcomes[c.index] = offMainThread(outcome);
      });
      done += chunk.length;
      options.progress?.(`parsed ${done}/${misses.length} files`);
    }),
  );
  return outcomes;
}
