import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

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
  const pid = transport.pid;
  if (pid === null) throw new Error('the server process has no pid');
  return {
    client,
    transport,
    pid,
    stderr: () => stderr,
    transportErrors,
    close: () => client.close(),
  };
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
