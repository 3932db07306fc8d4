import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WorkerPool } from '@sparc/batch-core';
import type { DiscoveredFile } from '../discovery/discover';
import type { LexOrReadBatch } from '../../workers/lex-or-read';
import type { ParsedFile, ParseChunkTask } from '../../workers/parse-worker';
import { parseWorkerPath } from '../worker-path';
import { FileQueue, TAKEN_BY_MAIN, TAKEN_BY_POOL } from './file-queue';
import { lexerMayTake } from './lex-module';
import { contentHash, scanWithBailout, scanWithoutLexer, type ScanOutcome } from './parse-source';
import type { ParseThread } from './parse-thread';
import type { ParsedSource } from './types';

export type MissedFile = DiscoveredFile & { content?: Buffer };

/**
 * What became of one file: parsed (`inline` when the main thread's scanner did it), or unreadable.
 * `hash` is the content hash, '' when the main thread parsed it without one (see `SharedParseInput.hash`).
 */
export type FileOutcome = { hash: string; result: ParsedSource; inline: boolean } | { readError: string };

/** A worker thread's answer for one file, as an outcome parsed off the main thread. */
export function offMainThread(answer: { hash: string; result: ParsedSource } | { readError: string }): FileOutcome {
  return 'readError' in answer ? answer : { hash: answer.hash, result: answer.result, inline: false };
}

export interface SharedParseInput {
  root: string;
  /** A thread that claims JavaScript files, reads and hashes them and lexes the plain ES modules (see workers/lex-or-read). */
  thread?: ParseThread;
  /** A pool whose threads parse whole chunks too (for the largest runs). */
  pool?: WorkerPool;
  /** Where files the scanner cannot follow go when no thread is alive (oxc runs in worker threads only). */
  oxcPool: () => WorkerPool;
  /**
   * Whether the main thread hashes what it reads. The hash is only the parse cache's key: a run
   * without the cache skips it, and reads each file straight into a string.
   * @default true
   */
  hash?: boolean;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export interface SharedParseOutput {
  /** One per file, in the order of the files given. */
  outcomes: FileOutcome[];
  /** Chunks the pool parsed, plus batches the parse thread sent. */
  chunks: number;
  /** Files the scanner handed to oxc. */
  oxcFallbacks: number;
}

/** Bytes the main thread scans between looks at the event loop (or at an abort), and milliseconds when threads share the work. */
const MAIN_SLICE_BYTES = 128 * 1024;
const MAIN_SLICE_MS = 4;
/** Bytes per task sent to the pool: small enough to even out the end, large enough that messages cost little. */
const POOL_CHUNK_BYTES = 512 * 1024;
/** Requests kept in flight per pool thread, so it finds its next chunk waiting when it ends one. */
const IN_FLIGHT_PER_THREAD = 2;

/** Yields to the event loop so worker results (and an abort) are handled between main-thread slices. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The main thread and the worker threads (when given) share one queue of files. The parse thread
 * claims JavaScript files from its front, lexes the ES modules and hands the rest back read and
 * hashed; the main thread scans those first, and otherwise takes files from the back (TypeScript
 * first, which only its scanner reads). Whatever a failed thread held goes back to the queue, and
 * the main thread parses it. Outcomes are kept by file index, so the caller records them in the
 * files' order whoever parsed them.
 */
export async function parseShared(misses: readonly MissedFile[], input: SharedParseInput): Promise<SharedParseOutput> {
  // Queue positions: with a thread, the files es-module-lexer may take (it claims from the front),
  // then the rest, which only the main thread's scanner reads. The main thread takes from the back;
  // the positions run backwards so it meets files in their own order (without a thread, exactly as
  // found): a cold scanner that started on the largest files (minified bundles) instead was a fifth
  // slower on three.js.
  const backwards = (indices: readonly number[]) => [...indices].reverse();
  const all = [...misses.keys()];
  const lexable = input.thread === undefined ? [] : backwards(all.filter((i) => lexerMayTake(misses[i].path)));
  const order = input.thread === undefined ? backwards(all) : [...lexable, ...backwards(all.filter((i) => !lexerMayTake(misses[i].path)))];
  const queue = new FileQueue(order.map((i) => misses[i].size), lexable.length);
  const outcomes: FileOutcome[] = new Array(misses.length);
  const reportedByThread = new Uint8Array(misses.length);
  /** Files the parse thread read and hashed, for the main thread's scanner (by file index). */
  const toScan: Array<{ index: number; hash: string; bytes: Uint8Array }> = [];
  const fallbacks: Array<{ index: number; hash: string; source: string }> = [];
  // Set by a lane when the run was aborted; checked by the main thread between slices.
  let fatal: { error: unknown } | undefined;
  const throwIfFatal = () => {
    if (fatal !== undefined) throw fatal.error;
  };
  let chunks = 0;
  let oxcFallbacks = 0;
  let done = 0;
  const progressed = (count: number) => {
    done += count;
    input.progress?.(`parsed ${done}/${misses.length} files`);
  };
  // The main thread, with nothing left to take, sleeps until a lane sends something or ends.
  let busyLanes = 0;
  let threadRunning = false;
  let wake: (() => void) | undefined;
  const changed = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const nextChange = () => new Promise<void>((resolve) => (wake = resolve));
  const laneFailed = (error: unknown, giveBack: () => void) => {
    if (input.signal?.aborted) fatal ??= { error: input.signal.reason ?? error };
    // Any other failure (a crash, an error in the parsing code): the main thread parses those files
    // itself, and raises the error again if it is in the parsing code.
    else giveBack();
  };

  const poolLanes: Array<Promise<void>> = [];
  const { thread, pool } = input;
  const hash = input.hash !== false;
  /** Positions the thread claimed and has not reported: lost with it if it fails, waited for if not. */
  const heldByThread = () => queue.claimedByThread().filter((p) => reportedByThread[order[p]] === 0);
  if (thread !== undefined) {
    const onBatch = (batch: LexOrReadBatch) => {
      chunks++;
      let finished = 0;
      for (const [position, outcome] of batch) {
        const index = order[position];
        reportedByThread[index] = 1;
        if ('bytes' in outcome) toScan.push({ index, hash: outcome.hash, bytes: outcome.bytes });
        else {
          outcomes[index] = offMainThread(outcome);
          finished++;
        }
      }
      progressed(finished);
      changed();
    };
    threadRunning = true;
    const job = { root: input.root, files: order.map((i) => misses[i].path), claims: queue.claims };
    // Not awaited at the end: once the thread holds no file, its last reply (even from a thread
    // still starting up, which then finds nothing left to claim) has nothing to add.
    void thread
      .lexOrRead(job, onBatch, input.signal)
      .catch((error: unknown) => laneFailed(error, () => queue.giveBack(heldByThread())))
      .finally(() => {
        threadRunning = false;
        changed();
      });
  }
  if (pool !== undefined) {
    const module = parseWorkerPath();
    const poolLane = async () => {
      while (fatal === undefined) {
        const chunk = queue.take(POOL_CHUNK_BYTES, TAKEN_BY_POOL);
        if (chunk.length === 0) return;
        chunks++;
        busyLanes++;
        try {
          const payload: ParseChunkTask = { root: input.root, files: chunk.map((p) => misses[order[p]].path), parser: 'auto' };
          const parsed = await pool.run<ParsedFile[]>({ module, exportName: 'parseChunk', payload }, { signal: input.signal });
          chunk.forEach((position, k) => {
            const outcome = parsed[k];
            if ('result' in outcome && outcome.result.parser === 'oxc') oxcFallbacks++;
            outcomes[order[position]] = offMainThread(outcome);
          });
          progressed(chunk.length);
        } catch (error) {
          laneFailed(error, () => queue.giveBack(chunk));
          return;
        } finally {
          busyLanes--;
          changed();
        }
      }
    };
    for (let k = 0; k < pool.maxThreads * IN_FLIGHT_PER_THREAD; k++) poolLanes.push(poolLane());
  }
  const shared = thread !== undefined || pool !== undefined;

  const scanned = (index: number, hash: string, source: string, outcome: ScanOutcome) => {
    if (outcome.ok) outcomes[index] = { hash, result: outcome.result, inline: true };
    else fallbacks.push({ index, hash, source });
  };
  for (;;) {
    throwIfFatal();
    input.signal?.throwIfAborted();
    // Beside threads, a slice is a few milliseconds, whatever the speed, so batches from the thread
    // (and an abort) are looked at often.
    const sliceEnd = shared ? performance.now() + MAIN_SLICE_MS : Number.POSITIVE_INFINITY;
    let count = 0;
    let bytes = 0;
    for (;;) {
      const read = toScan.pop();
      let index: number;
      if (read !== undefined) {
        index = read.index;
        // es-module-lexer already turned the file down in the thread: straight to the scanner.
        const source = Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength).toString('utf8');
        scanned(index, read.hash, source, scanWithoutLexer(misses[index].path, source));
      } else {
        const [position] = queue.take(0, TAKEN_BY_MAIN);
        if (position === undefined) break;
        index = order[position];
        const own = readOnMainThread(misses[index], input.root, hash);
        if ('readError' in own) outcomes[index] = own;
        else scanned(index, own.hash, own.source, scanWithBailout(misses[index].path, own.source));
      }
      count++;
      bytes += misses[index].size;
      if (bytes >= MAIN_SLICE_BYTES || performance.now() >= sliceEnd) break;
    }
    if (count === 0) {
      // Nothing left to take, but a lane may still send files or give some back.
      if (busyLanes === 0 && !(threadRunning && heldByThread().length > 0)) break;
      await nextChange();
      continue;
    }
    progressed(count);
    if (shared) await yieldToEventLoop();
  }
  await Promise.all(poolLanes);
  throwIfFatal();
  if (fallbacks.length > 0) {
    oxcFallbacks += fallbacks.length;
    const parsed = await parseWithOxc(fallbacks.map((f) => ({ path: misses[f.index].path, source: f.source })), input);
    fallbacks.forEach((f, k) => {
      outcomes[f.index] = { hash: f.hash, result: parsed[k], inline: false };
    });
  }
  return { outcomes, chunks, oxcFallbacks };
}

/** Reads (unless already read) and hashes one file; without `hash`, its hash is ''. */
function readOnMainThread(file: MissedFile, root: string, hash: boolean): { hash: string; source: string } | { readError: string } {
  let content = file.content;
  if (content === undefined) {
    try {
      // Synchronous: one small read costs less than a trip through the thread pool, and the lane yields per slice.
      if (!hash) return { hash: '', source: readFileSync(path.join(root, file.path), 'utf8') };
      content = readFileSync(path.join(root, file.path));
    } catch (error) {
      return { readError: (error as Error).message };
    }
  }
  return { hash: hash ? contentHash(content) : '', source: content.toString('utf8') };
}

/** oxc-parser is ESM-only and native: it runs in a worker thread, which can import it. The parse thread if alive, else the pool. */
async function parseWithOxc(files: Array<{ path: string; source: string }>, input: SharedParseInput): Promise<ParsedSource[]> {
  if (input.thread?.alive) {
    try {
      return await input.thread.parseWithOxc(files, input.signal);
    } catch (error) {
      if (input.signal?.aborted) throw error;
    }
  }
  return input.oxcPool().run<ParsedSource[]>({ module: parseWorkerPath(), exportName: 'parseWithOxc', payload: { files } }, { signal: input.signal });
}
