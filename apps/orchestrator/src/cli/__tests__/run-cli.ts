import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OutputStream } from '../context';

/** An output stream that keeps what is written, for running \`main\` in-process. */
export class Capture implements OutputStream {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

const APP_ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(APP_ROOT, 'bin', 'sparc.js');
const BUILT_MAIN = path.join(APP_ROOT, 'dist', 'cli', 'main.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(`the CLI is not built (${BUILT_MAIN} is missing): build the orchestrator and batch-core first`);
  }
}

/** Runs the built `sparc` bin as a real child process. */
export function runCli(args: string[], opts: { cwd?: string; input?: string } = {}): CliRun {
  assertBuilt();
  const child = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? APP_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, SPARC_DEBUG: '' },
    timeout: 60_000,
  });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A fresh folder `root/ws` so that tests can check nothing leaked into `root`. */
export async function makeWorkspace(): Promise<{ root: string; ws: string; cleanup(): Promise<void> }> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-cli-'));
  const ws = path.join(root, 'ws');
  await fsp.mkdir(ws);
  return { root, ws, cleanup: () => fsp.rm(root, { recursive: true, force: true }) };
}

export async function writeBatch(dir: string, name: string, batch: unknown): Promise<string> {
  const file = path.join(dir, name);
  await fsp.writeFile(file, typeof batch === 'string' ? batch : JSON.stringify(batch, null, 2));
  return file;
}

/** Starts the built bin without waiting; `done` resolves with its exit and output. */
export function startCli(args: string[]): { child: ChildProcess; done: Promise<CliRun> } {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: APP_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return { child, done };
}

/** Resolves once `file` exists: how a test learns that an operation in a child process has started. */
export async function waitForFile(file: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
