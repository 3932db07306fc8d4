/**
 * Entry of the parse thread: a plain worker thread (no pool: piscina and its task runner would
 * only add to the start-up) that reads and lexes JavaScript beside the main thread. It answers one
 * request at a time; a lex-or-read job streams batches before its final reply.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { prepareLexer } from '../lib/parse/lex-module';
import type { ParsedSource } from '../lib/parse/types';
import { runLexOrReadJob, type LexOrReadBatch, type LexOrReadJob } from './lex-or-read';

export type ParseThreadRequest = { id: number; op: 'lex-or-read'; job: LexOrReadJob } | { id: number; op: 'oxc'; files: Array<{ path: string; source: string }> };

export type ParseThreadReply =
  | { id: number; batch: LexOrReadBatch }
  | { id: number; ok: true; value: LexOrReadBatch | ParsedSource[] }
  | { id: number; ok: false; error: { name: string; message: string } };

async function answer(port: MessagePort, request: ParseThreadRequest): Promise<void> {
  try {
    if (request.op === 'lex-or-read') {
      const last = runLexOrReadJob(request.job, (batch, transfer) => port.postMessage({ id: request.id, batch } satisfies ParseThreadReply, transfer));
      port.postMessage({ id: request.id, ok: true, value: last.batch } satisfies ParseThreadReply, last.transfer);
      return;
    }
    // Loaded on the first file the scanner cannot follow (most runs have none), not at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseWithOxc } = require('./parse-worker') as typeof import('./parse-worker');
    port.postMessage({ id: request.id, ok: true, value: await parseWithOxc({ files: request.files }) } satisfies ParseThreadReply);
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ id: request.id, ok: false, error: { name, message } } satisfies ParseThreadReply);
  }
}

const port = parentPort;
if (port !== null) {
  // The WebAssembly lexer compiles now, before the job arrives, not on its first file.
  prepareLexer();
  port.on('message', (request: ParseThreadRequest) => void answer(port, request));
}
