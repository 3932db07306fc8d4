import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { startRedisServer, type RedisServerHandle } from '../../lib/testing/redis-server';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');
export const WORKER_ENTRY = path.join(PACKAGE_ROOT, 'dist', 'workers', 'swarm-worker.js');
export const COUNT_HANDLER = path.join(PACKAGE_ROOT, 'src', '__tests__', '__fixtures__', 'count-handler.js');

/** A private redis-server for one test file; fails (never skips) when redis-server is missing. */
export function useRedis(): { readonly url: string; readonly server: RedisServerHandle } {
  let server: RedisServerHandle | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error('redis-server did not start');
      return server.url;
    },
    get server() {
      if (!server) throw new Error('redis-server did not start');
      return server;
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  id: string;
  pid: number;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `dist/workers/swarm-worker.js` and resolves once it says it is ready. */
export async function startWorker(args: { redis: string; dir: string; agents?: number; types?: string; extra?: string[] }): Promise<WorkerProcess> {
  if (!existsSync(WORKER_ENTRY)) throw new Error(`${WORKER_ENTRY} is missing: build the package first (npx tsc -p tsconfig.lib.json)`);
  const child = spawn(
    process.execPath,
    [WORKER_ENTRY, '--redis', args.redis, '--dir', args.dir, '--agents', String(args.agents ?? 2), '--types', args.types ?? 'coder,tester', '--operations', COUNT_HANDLER, '--quiet', ...(args.extra ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not get ready: ${output}`)), 20_000);
    const check = () => {
      const match = /^ready (\S+)/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready: ${output}`));
    });
  });
  return { child, id, pid: child.pid as number, output: () => output, exited };
}

export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
  await worker.exited;
  clearTimeout(timer);
}

/** How many times each operation ran, from executions.log (any process). */
export async function executionCounts(dir: string): Promise<Map<string, number>> {
  const text = await fsp.readFile(path.join(dir, 'executions.log'), 'utf8').catch(() => '');
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const id = line.split(' ')[0];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The built-in operations plus the fixture's test.count, so a coordinator accepts plans that use it. */
export function countRegistry(): import('@sparc/batch-core').OperationRegistry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same CommonJS module the workers load
  const handlers = require(COUNT_HANDLER) as import('@sparc/batch-core').AnyOperationHandler[];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const registry = (require('@sparc/batch-core') as typeof import('@sparc/batch-core')).createDefaultRegistry();
  for (const handler of handlers) registry.register(handler);
  return registry;
}
