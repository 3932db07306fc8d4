/**
 * The parse thread's share of the work: it claims JavaScript files from the front of the shared
 * queue, reads and hashes each and finishes the plain ES modules with es-module-lexer. That lexer
 * is WebAssembly, so a thread started a moment ago runs it at full speed. A file the lexer turns
 * down (CommonJS) goes back as its bytes for the main thread's scanner: the scanner is JavaScript,
 * which V8 optimises per thread over the first megabytes it scans, and two threads each paying
 * that warm-up on two cores finished no sooner than the main thread alone.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileQueue, type SharedClaims } from '../lib/parse/file-queue';
import { contentHash } from '../lib/parse/content-hash';
import { lexModule } from '../lib/parse/lex-module';
import type { ParsedSource } from '../lib/parse/types';

export interface LexOrReadJob {
  root: string;
  /** Workspace-relative paths by queue position; the thread claims positions from the front. */
  files: string[];
  claims: SharedClaims;
}

/** Lexed here, or read here and left to the scanner (`bytes`), or unreadable. */
export type LexedOrRead = { hash: string; result: ParsedSource } | { hash: string; bytes: Uint8Array } | { readError: string };

/** `[queue position, outcome]` pairs, sent a batch at a time. */
export type LexOrReadBatch = Array<[number, LexedOrRead]>;

/** A batch goes out after this long or this many bytes, so the main thread gets work to scan early and often. */
const BATCH_MS = 2;
const BATCH_BYTES = 256 * 1024;

function lexOrReadOne(root: string, file: string, transfer: ArrayBuffer[]): LexedOrRead {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path.join(root, file));
  } catch (error) {
    return { readError: (error as Error).message };
  }
  const hash = contentHash(buffer);
  const imports = lexModule(file, buffer.toString('utf8'));
  if (imports !== undefined) return { hash, result: { imports, parser: 'scan' } };
  // Moved, not copied: a buffer with an ArrayBuffer of its own is transferred as is; a small one
  // (Node pools those) is copied out of the pool first, so the pool is not taken away.
  const bytes = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength ? new Uint8Array(buffer.buffer) : Uint8Array.prototype.slice.call(buffer);
  transfer.push(bytes.buffer as ArrayBuffer);
  return { hash, bytes };
}

/** Claims and handles files until none is left for it, sending batches through `send`; returns the last batch. */
export function runLexOrReadJob(job: LexOrReadJob, send: (batch: LexOrReadBatch, transfer: ArrayBuffer[]) => void): { batch: LexOrReadBatch; transfer: ArrayBuffer[] } {
  const front = new Int32Array(job.claims.front);
  const claimed = new Uint8Array(job.claims.claimed);
  let batch: LexOrReadBatch = [];
  let transfer: ArrayBuffer[] = [];
  let bytes = 0;
  let sentAt = performance.now();
  for (let position = FileQueue.claimFromFront(job.claims, front, claimed); position !== undefined; position = FileQueue.claimFromFront(job.claims, front, claimed)) {
    const outcome = lexOrReadOne(job.root, job.files[position], transfer);
    batch.push([position, outcome]);
    if ('bytes' in outcome) bytes += outcome.bytes.byteLength;
    const now = performance.now();
    if (bytes >= BATCH_BYTES || now - sentAt >= BATCH_MS) {
      send(batch, transfer);
      batch = [];
      transfer = [];
      bytes = 0;
      sentAt = now;
    }
  }
  return { batch, transfer };
}
