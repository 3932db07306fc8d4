import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

const APP_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(APP_ROOT, 'bin', 'sparc.js');
const BUILT_SERVER = path.join(APP_ROOT, 'dist', 'mcp', 'stdio.js');

export interface SpawnedServer {
  client: Client;
  transport: StdioClientTransport;
  pid: number;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Errors the client transport saw (e.g. a stdout line that is not a JSON-RPC message). */
  transportErrors: Error[];
  /** Every message the client received after the handshake, in the order it arrived on stdout. */
  wire: JSONRPCMessage[];
  /** Closes stdin and waits for the process to exit (the SDK transport sends SIGTERM after 2 s). */
  close(): Promise<void>;
}

/** Starts the built `sparc mcp` as a child process and connects the SDK's own client to it over stdio. */
export async function spawnServer(args: string[]): Promise<SpawnedServer> {
  if (!existsSync(BUILT_SERVER)) throw new Error(`the orchestrator is not built (${BUILT_SERVER} is missing): npx tsc -p apps/orchestrator/tsconfig.lib.json`);
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const transportErrors: Error[] = [];
  const client = new Client({ name: 'sparc-test', version: '1.0.0' });
  client.onerror = (error) => transportErrors.push(error);
  await client.connect(transport);
  const wire: JSONRPCMessage[] = [];
  const dispatch = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    wire.push(message);
    dispatch?.(message);
  };
  const pid = transport.pid;
  if (pid === null) throw new Error('the server process has no pid');
  return {
    client,
    transport,
    pid,
    stderr: () => stderr,
    transportErrors,
    wire,
    close: () => client.close(),
  };
}

interface ProgressParams {
  progressToken: string | number;
  progress: number;
  total?: number;
  message?: string;
}

function progressOf(message: JSONRPCMessage): ProgressParams | undefined {
  return 'method' in message && message.method === 'notifications/progress' ? (message.params as unknown as ProgressParams) : undefined;
}

function answerIndex(wire: JSONRPCMessage[], id: string | number): number {
  return wire.findIndex((message) => 'id' in message && !('method' in message) && message.id === id);
}

/**
 * The progress a call's answer was preceded by on the wire, and any that came after it. The SDK
 * client uses the request id as the progress token.
 *
 * Why the wire and not `onprogress`: the SDK client (1.x) dispatches a notification a microtask
 * later but an answer at once, so when a notification and the answer arrive in one stdout chunk the
 * answer retires the token first and the client drops the notification as "unknown token"
 * (modelcontextprotocol/typescript-sdk#2580). The server's part is the order it writes them in.
 */
export function progressOnWire(wire: JSONRPCMessage[], id: string | number): { before: ProgressParams[]; after: ProgressParams[] } {
  const answer = answerIndex(wire, id);
  if (answer < 0) throw new Error(`no answer to request ${id} on the wire`);
  const before: ProgressParams[] = [];
  const after: ProgressParams[] = [];
  wire.forEach((message, index) => {
    const progress = progressOf(message);
    if (progress?.progressToken === id) (index < answer ? before : after).push(progress);
  });
  return { before, after };
}

/** The id of the call whose answer carries matching structured content (the first match from `from` on). */
export function answerIdWhere(wire: JSONRPCMessage[], matches: (structured: Record<string, unknown>) => boolean, from = 0): string | number {
  for (const message of wire.slice(from)) {
    if (!('result' in message) || !('id' in message)) continue;
    const structured = (message.result as { structuredContent?: Record<string, unknown> }).structuredContent;
    if (structured && matches(structured)) return message.id;
  }
  throw new Error('no matching answer on the wire');
}

/**
 * The client's errors, less the client-side race described at `progressOnWire`: an "unknown token"
 * error is left out only when the wire shows that notification arrived before its call's answer.
 */
export function errorsBesidesClientRace(server: Pick<SpawnedServer, 'transportErrors' | 'wire'>): Error[] {
  return server.transportErrors.filter((error) => {
    const raced = /unknown token: (\{.*\})$/.exec(error.message);
    if (!raced) return true;
    const late = (JSON.parse(raced[1]) as { params: ProgressParams }).params;
    const sent = server.wire.findIndex((message) => {
      const progress = progressOf(message);
      return progress?.progressToken === late.progressToken && progress.progress === late.progress;
    });
    const answered = answerIndex(server.wire, late.progressToken);
    return !(sent >= 0 && answered >= 0 && sent < answered);
  });
}

/** The text of a tool result's first content block. */
export function firstText(result: CallToolResult): string {
  const block = result.content[0];
  return block && block.type === 'text' ? block.text : '';
}

export async function tempDir(label: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), `sparc-mcp-${label}-`)));
  return { dir, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}
