import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { makeTempDir, removeDir } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { formatMs, formatRatio, formatSpread, median } from '../lib/stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, '../../../apps/orchestrator/bin/sparc.js');
const BUILT_SERVER = path.resolve(here, '../../../apps/orchestrator/dist/mcp/stdio.js');

const OPERATIONS = 20;
const FILE_BYTES = 512;

/**
 * An MCP client transport that spawns the server itself and counts what really crosses the pipes:
 * bytes as written to the child's stdin and read from its stdout, and the JSON-RPC messages they
 * carry (requests, responses and notifications alike).
 */
class CountingStdioTransport {
  constructor(command, args) {
    this.command = command;
    this.args = args;
    this.sent = { messages: 0, bytes: 0 };
    this.received = { messages: 0, bytes: 0 };
    this.stderr = '';
    this.readBuffer = new ReadBuffer();
  }

  async start() {
    this.child = spawn(this.command, this.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stderr.setEncoding('utf8').on('data', (text) => (this.stderr += text));
    this.child.stdout.on('data', (chunk) => {
      this.received.bytes += chunk.length;
      this.readBuffer.append(chunk);
      for (let message = this.readBuffer.readMessage(); message !== null; message = this.readBuffer.readMessage()) {
        this.received.messages++;
        this.onmessage?.(message);
      }
    });
    this.child.on('exit', () => this.onclose?.());
    await new Promise((resolve, reject) => {
      this.child.once('spawn', resolve);
      this.child.once('error', reject);
    });
  }

  send(message) {
    const json = serializeMessage(message);
    this.sent.messages++;
    this.sent.bytes += Buffer.byteLength(json);
    return new Promise((resolve) => (this.child.stdin.write(json) ? resolve() : this.child.stdin.once('drain', resolve)));
  }

  snapshot() {
    return { sent: { ...this.sent }, received: { ...this.received } };
  }

  async close() {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

function contentFor(index) {
  const line = `line of file ${index}: the quick brown fox jumps over the lazy dog\n`;
  return line.repeat(Math.ceil(FILE_BYTES / line.length)).slice(0, FILE_BYTES);
}

/** 10 writes of new content and 10 reads of existing files: work that needs no ordering, so it can go as one batch or as 20 calls. */
function operations(sample) {
  return Array.from({ length: OPERATIONS }, (_, i) =>
    i % 2 === 0
      ? { id: `w${i}`, type: 'file.write', params: { path: `out/f${i}.txt`, content: `${sample}:${contentFor(i)}` } }
      : { id: `r${i}`, type: 'file.read', params: { path: `in/f${i}.txt` } },
  );
}

function assertSucceeded(results, what) {
  for (const result of results) {
    if (result.isError) throw new Error(`${what}: tool error: ${result.content?.[0]?.text}`);
    const batch = result.structuredContent;
    if (batch?.status !== 'succeeded') throw new Error(`${what}: batch ${batch?.status}`);
  }
  const ops = results.flatMap((r) => r.structuredContent.results);
  if (ops.length !== OPERATIONS || ops.some((op) => op.status !== 'succeeded')) throw new Error(`${what}: ${ops.length} operation results, not ${OPERATIONS} succeeded ones`);
  for (const op of ops.filter((o) => o.type === 'file.read')) {
    const index = Number(op.id.slice(1));
    if (op.output.content !== contentFor(index)) throw new Error(`${what}: ${op.id} read the wrong content`);
  }
}

export async function run({ quick, log }) {
  if (!existsSync(BUILT_SERVER)) throw new Error(`the orchestrator is not built (${BUILT_SERVER} is missing): npx tsc -p apps/orchestrator/tsconfig.lib.json`);
  const dir = await makeTempDir('mcp');
  await fs.mkdir(path.join(dir, 'in'));
  await fs.mkdir(path.join(dir, 'out'));
  for (let i = 0; i < OPERATIONS; i++) await fs.writeFile(path.join(dir, 'in', `f${i}.txt`), contentFor(i));

  const transport = new CountingStdioTransport(process.execPath, [BIN, 'mcp', '--dir', dir]);
  const client = new Client({ name: 'sparc-bench', version: '1.0.0' });
  await client.connect(transport);
  const handshake = transport.snapshot();

  let sample = 0;
  const wire = new Map();
  const side = (name, work) => {
    let before;
    let results;
    let ops;
    return {
      name,
      before: () => {
        ops = operations(sample++);
        before = transport.snapshot();
      },
      run: async () => {
        results = await work(ops);
      },
      after: async () => {
        const now = transport.snapshot();
        const delta = {
          sentMessages: now.sent.messages - before.sent.messages,
          receivedMessages: now.received.messages - before.received.messages,
          sentBytes: now.sent.bytes - before.sent.bytes,
          receivedBytes: now.received.bytes - before.received.bytes,
        };
        if (!wire.has(name)) wire.set(name, []);
        wire.get(name).push(delta);
        assertSucceeded(results, name);
        // The writes really reached the disk with this sample's content.
        const written = await fs.readFile(path.join(dir, 'out', 'f0.txt'), 'utf8');
        if (written !== ops[0].params.content) throw new Error(`${name}: out/f0.txt does not hold this sample's content`);
      },
    };
  };
  const callBatch = (ops) => client.callTool({ name: 'batch_execute', arguments: { operations: ops } });
  const sides = [
    side('1 batch_execute, 20 operations', async (ops) => [await callBatch(ops)]),
    side('20 calls, one after another', async (ops) => {
      const results = [];
      for (const op of ops) results.push(await callBatch([op]));
      return results;
    }),
    side('20 calls, all in flight at once', (ops) => Promise.all(ops.map((op) => callBatch([op])))),
  ];

  const rounds = quick ? 5 : 21;
  try {
    const measured = await alternate(sides, { rounds, warmupRounds: 1, log });
    const stat = (name, key) => median(wire.get(name).map((d) => d[key]));
    const messages = (name) => stat(name, 'sentMessages') + stat(name, 'receivedMessages');
    const bytes = (name) => stat(name, 'sentBytes') + stat(name, 'receivedBytes');
    const [batched, sequential, inFlight] = sides.map((s) => s.name);
    const rows = sides.map(({ name }) => [
      name,
      `${stat(name, 'sentMessages')} + ${stat(name, 'receivedMessages')}`,
      `${(stat(name, 'sentBytes') / 1024).toFixed(1)} KB + ${(stat(name, 'receivedBytes') / 1024).toFixed(1)} KB`,
      formatMs(measured[name].median),
      formatRatio(messages(name) / messages(batched)),
      formatRatio(bytes(name) / bytes(batched)),
      formatRatio(measured[name].median / measured[batched].median),
      formatSpread(measured[name].samples),
    ]);
    const unexpected = transport.stderr.split('\n').filter((line) => line && !line.startsWith('sparc mcp: '));
    return {
      title: `MCP: one batch_execute with ${OPERATIONS} operations vs ${OPERATIONS} single-operation calls`,
      method: [
        `The built \`sparc mcp\` server as a child process, driven by the MCP SDK's own \`Client\` over stdio. The client transport spawns the server and counts what crosses the pipes: bytes written to its stdin and read from its stdout, and the JSON-RPC messages in them (requests, responses, notifications). The handshake (initialize: ${handshake.sent.messages} + ${handshake.received.messages} messages, ${handshake.sent.bytes + handshake.received.bytes} bytes) is not counted.`,
        `Work: ${OPERATIONS} independent operations, 10 \`file.write\` of ${FILE_BYTES} bytes and 10 \`file.read\` of ${FILE_BYTES}-byte files. Batched side: one \`batch_execute\` call with all ${OPERATIONS}. Single side: one \`batch_execute\` call per operation, each awaited before the next (how an agent makes dependent calls), and the same ${OPERATIONS} calls sent at once (parallel tool calls).`,
        `Every call returns the full BatchResult (structuredContent plus the same JSON as text, as the MCP spec asks), and the server records each batch in .sparc/metrics.jsonl, as it does for any client. Every sample checks that all operations succeeded, that reads returned the files' content and that the writes reached the disk (untimed).`,
        `Alternating harness, ${rounds} rounds after a warm-up round, a full GC before each sample; wall time is the side's median, messages and bytes the median per sample; ratios are side / batched (higher = the batch saves more).`,
      ],
      columns: ['side', 'messages (client → server + back)', 'bytes (sent + received)', 'median wall time', '× messages', '× bytes', '× wall time', 'rounds (ms)'],
      rows,
      checks: [
        { label: 'messages: 20 calls vs 1 batch', display: formatRatio(messages(sequential) / messages(batched)), bar: 'the batch sends fewer messages', pass: messages(sequential) > messages(batched) },
        { label: 'bytes on the wire: 20 calls vs 1 batch', display: formatRatio(bytes(sequential) / bytes(batched)), bar: 'the batch moves fewer bytes', pass: bytes(sequential) > bytes(batched) },
        {
          label: 'wall time: 20 sequential calls vs 1 batch',
          display: formatRatio(measured[sequential].median / measured[batched].median),
          bar: 'the batch is faster',
          pass: measured[sequential].median > measured[batched].median,
        },
        {
          label: 'wall time: 20 parallel calls vs 1 batch',
          display: formatRatio(measured[inFlight].median / measured[batched].median),
          bar: 'the batch is faster',
          pass: measured[inFlight].median > measured[batched].median,
        },
      ],
      notes: unexpected.length > 0 ? [`the server wrote unexpected stderr lines: ${unexpected.slice(0, 3).join(' | ')}`] : [],
    };
  } finally {
    await client.close().catch(() => undefined);
    await transport.close();
    await removeDir(dir);
  }
}
