import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchEngine, createArtifactWriter, createWorkerPool, newRunId, Workspace, type BatchEvent, type BatchResult, type ModeContext, type SparcSpec, type WorkerPool } from '@sparc/batch-core';

/** The repository's node_modules: fixture workspaces link to it to reach jest, ts-jest and zod. */
export const REPO_NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'node_modules');

export interface TempWorkspace {
  root: string;
  workspace: Workspace;
  write(file: string, content: string): Promise<void>;
  read(file: string): Promise<string>;
  exists(file: string): Promise<boolean>;
  cleanup(): Promise<void>;
}

/** A workspace in a fresh temp folder holding `files`; `linkNodeModules` makes jest reachable from it. */
export async function makeWorkspace(files: Record<string, string>, opts: { linkNodeModules?: boolean } = {}): Promise<TempWorkspace> {
  const root = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-tdd-')));
  const write = async (file: string, content: string) => {
    await fsp.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fsp.writeFile(path.join(root, file), content);
  };
  for (const [file, content] of Object.entries(files)) await write(file, content);
  if (opts.linkNodeModules) await fsp.symlink(REPO_NODE_MODULES, path.join(root, 'node_modules'), 'dir');
  const workspace = await Workspace.open(root);
  return {
    root,
    workspace,
    write,
    read: (file) => fsp.readFile(path.join(root, file), 'utf8'),
    exists: (file) =>
      fsp.stat(path.join(root, file)).then(
        () => true,
        () => false,
      ),
    cleanup: () => fsp.rm(root, { recursive: true, force: true }),
  };
}

/** One worker pool per test file: starting threads is the slow part. */
export function sharedPool(): { get(): WorkerPool; destroy(): Promise<void> } {
  let pool: WorkerPool | undefined;
  return {
    get: () => (pool ??= createWorkerPool({ maxThreads: 2 })),
    destroy: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}

/** A real mode context: engine (two exec operations at once, so suites overlap on any machine), pool, artifacts. */
export function modeContext(
  workspace: Workspace,
  opts: { pool?: () => WorkerPool; spec?: SparcSpec } = {},
): { ctx: ModeContext; engine: BatchEngine; progress: string[]; batches: BatchResult[]; close(): Promise<void> } {
  const progress: string[] = [];
  const batches: BatchResult[] = [];
  const engine = new BatchEngine({ workspace, monitor: false, perTypeConcurrency: { exec: 2 }, ...(opts.pool ? { pool: opts.pool } : {}) });
  engine.events.on('batch:end', (event: Extract<BatchEvent, { type: 'batch:end' }>) => batches.push(event.result));
  const runId = newRunId();
  const ctx: ModeContext = {
    runId,
    workspace,
    engine,
    pool: opts.pool ?? (() => engine.pool()),
    signal: new AbortController().signal,
    progress: (message) => progress.push(message),
    artifacts: createArtifactWriter(workspace, runId, 'tdd'),
    ...(opts.spec ? { spec: opts.spec } : {}),
    upstream: {},
  };
  return { ctx, engine, progress, batches, close: () => engine.close() };
}

/** A jest config for plain .js tests in a fixture workspace. */
export const JS_JEST_CONFIG = `module.exports = { testEnvironment: 'node' };\n`;

/** A jest config for TypeScript tests (ts-jest, transpile only) in a fixture workspace. */
export const TS_JEST_CONFIG = `module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', target: 'es2022', esModuleInterop: true, isolatedModules: true, strict: true } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
`;
