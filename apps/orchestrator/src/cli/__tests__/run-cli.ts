import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const APP_ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(APP_ROOT, 'bin', 'sparc.js');
const BUILT_MAIN = path.join(APP_ROOT, 'dist', 'cli', 'main.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `sparc` bin as a real child process. */
export function runCli(args: string[], opts: { cwd?: string; input?: string } = {}): CliRun {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(`the CLI is not built (${BUILT_MAIN} is missing): build the orchestrator and batch-core first`);
  }
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
