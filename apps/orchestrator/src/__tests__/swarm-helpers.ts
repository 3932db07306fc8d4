import type { ChildProcess } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startCli, type CliRun } from '../cli/__tests__/run-cli';

export interface SwarmJson {
  runId: string;
  status: string;
  tasks: Array<{ id: string; status: string; agent: string | null; attempts: number; durationMs: number; error?: { code: string; message: string } }>;
  agents: Array<{ id: string; type: string; capabilities: string[]; status: string; tasksDone: number; tasksFailed: number; group: string }>;
  metrics: Record<string, unknown> & { tasks: number; succeeded: number; topology: string; backend: string };
}

export async function writePlan(dir: string, plan: unknown, name = 'plan.json'): Promise<string> {
  const file = path.join(dir, name);
  await fsp.writeFile(file, JSON.stringify(plan, null, 2));
  return file;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface CliWorker {
  child: ChildProcess;
  id: string;
  done: Promise<CliRun>;
  stdout(): string;
}

/** `sparc swarm worker ...` as a child process; resolves once it says it is ready. */
export async function startCliWorker(args: string[]): Promise<CliWorker> {
  const { child, done } = startCli(['swarm', 'worker', ...args]);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer | string) => (stdout += chunk.toString()));
  await waitFor(() => /^worker \S+ ready/m.test(stdout) || child.exitCode !== null, 'the worker to be ready', 30_000);
  const match = /^worker (\S+) ready/m.exec(stdout);
  if (!match) throw new Error(`worker did not start: ${JSON.stringify(await done)}`);
  return { child, id: match[1], done, stdout: () => stdout };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function fileExists(file: string): boolean {
  return existsSync(file);
}
