import { promises as fsp } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchEngine, createModeContext, isProcessLive, Workspace, type ModeContext } from '@sparc/batch-core';
import { SERVICE_SCRIPT } from './service-script';

/** A port nobody listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestWorkspace {
  dir: string;
  ctx: ModeContext;
  controller: AbortController;
  /** Writes the service script and returns the manifest `start` command for it. */
  startCommand(): Promise<string>;
  write(name: string, content: unknown): Promise<string>;
  /** Pids the started services recorded in their pid files (and their children). */
  recordedPids(): Promise<number[]>;
  pidFile(service: string): string;
  close(): Promise<void>;
}

export async function testWorkspace(): Promise<TestWorkspace> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-integration-'));
  const workspace = await Workspace.open(dir);
  const engine = new BatchEngine({ workspace });
  const controller = new AbortController();
  const { ctx } = createModeContext({ workspace, mode: 'integration', engine, signal: controller.signal });
  const pidDir = path.join(dir, 'pids');
  await fsp.mkdir(pidDir);
  return {
    dir,
    ctx,
    controller,
    async startCommand() {
      await fsp.writeFile(path.join(dir, 'service.js'), SERVICE_SCRIPT);
      return `"${process.execPath}" service.js`;
    },
    async write(name, content) {
      const file = path.join(dir, name);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return file;
    },
    pidFile: (service) => path.join(pidDir, `${service}.pid`),
    async recordedPids() {
      const pids: number[] = [];
      for (const name of await fsp.readdir(pidDir)) {
        // A file created but not yet written holds no pid (and 0 would stand for our own group).
        const pid = Number(await fsp.readFile(path.join(pidDir, name), 'utf8'));
        if (pid > 0) pids.push(pid);
      }
      return pids;
    },
    async close() {
      await engine.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Pids still alive among `pids` (zombies count as gone). */
/**
 * Registers the per-test workspace hooks: before each test a fresh workspace is handed to `use`
 * (which keeps it, and may set it up); after it, the workspace is closed and no process the test
 * started may still be alive.
 */
export function eachTestWorkspace(use: (t: TestWorkspace) => void | Promise<void>): void {
  let current: TestWorkspace;
  beforeEach(async () => {
    current = await testWorkspace();
    await use(current);
  });
  afterEach(async () => {
    const pids = await current.recordedPids();
    await current.close();
    expect(livePids(pids)).toEqual([]);
  });
}

export function livePids(pids: readonly number[]): number[] {
  return pids.filter((pid) => isProcessLive(pid));
}

/** A 3.0 pet store: Pet has a nullable tag; /pets/{petId} declares 200 and 404. */
export function petstore30(): unknown {
  return {
    openapi: '3.0.3',
    info: { title: 'pets', version: '1' },
    paths: {
      '/pets': {
        get: { responses: { '200': { description: 'all', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } } } } } },
        post: {
          responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
        },
      },
      '/pets/{petId}': {
        get: {
          responses: {
            '200': { description: 'one', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
    },
    components: {
      schemas: {
        Pet: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' }, tag: { type: 'string', nullable: true } },
        },
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } },
      },
      responses: { NotFound: { description: 'missing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    },
  };
}

/** Routes of a service that keeps the pet store contract. */
export const CONFORMANT_ROUTES = {
  'GET /pets': { status: 200, type: 'application/json', body: [{ id: 1, name: 'rex', tag: null }, { id: 2, name: 'tom', tag: 'cat' }] },
  'GET /pets/1': { status: 200, type: 'application/json; charset=utf-8', body: { id: 1, name: 'rex', tag: null } },
  'GET /pets/9': { status: 404, type: 'application/json', body: { code: 404, message: 'no pet 9' } },
  'POST /pets': { status: 201, type: 'application/json', body: { id: 3, name: 'new' } },
};
