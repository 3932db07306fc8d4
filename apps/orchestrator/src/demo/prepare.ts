import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The bundled example: a workspace with a spec (two entities, one service) and a little code of its own. */
export const EXAMPLE_DIR = path.resolve(__dirname, '..', '..', 'examples', 'demo');

export class DemoSetupError extends Error {
  readonly code = 'DEMO_SETUP';
}

/**
 * The `node_modules` folder that holds the example's tools (jest, ts-jest, ts-node, typescript,
 * zod): the one this installation of sparc resolves them from. The demo links it into the copy,
 * because the example is never installed on its own (and there is no network here to do it).
 */
export function toolsNodeModules(): string {
  const needed = ['jest', 'ts-jest', 'ts-node', 'typescript', 'zod'];
  let folder: string | undefined;
  for (const name of needed) {
    let manifest: string;
    try {
      manifest = require.resolve(`${name}/package.json`);
    } catch {
      throw new DemoSetupError(`the demo needs "${name}", which is not installed next to sparc (run "npm ci" at the repository root)`);
    }
    const owner = path.dirname(path.dirname(manifest));
    folder ??= owner;
    if (owner !== folder) throw new DemoSetupError(`"${name}" resolves from ${owner}, not ${folder}: the demo needs its tools in one node_modules`);
  }
  return folder as string;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface DemoService {
  url: string;
  env?: Record<string, string>;
}

/** Points every service of the copied spec at `port`, so two demos (or a busy port) never collide. */
export async function usePort(specFile: string, port: number): Promise<void> {
  const spec = JSON.parse(await fsp.readFile(specFile, 'utf8')) as { services?: DemoService[] };
  for (const service of spec.services ?? []) {
    const url = new URL(service.url);
    url.port = String(port);
    service.url = url.toString().replace(/\/$/, '');
    service.env = { ...service.env, PORT: String(port) };
  }
  await fsp.writeFile(specFile, `${JSON.stringify(spec, null, 2)}\n`);
}

export interface PreparedDemo {
  /** Absolute path of the copied workspace. */
  dir: string;
  specFile: string;
  port: number;
}

/** Copies the example into a new temp folder, links the tools in and picks a free port. */
export async function prepareDemo(parent = os.tmpdir()): Promise<PreparedDemo> {
  const modules = toolsNodeModules();
  const dir = await fsp.mkdtemp(path.join(parent, 'sparc-demo-'));
  await fsp.cp(EXAMPLE_DIR, dir, { recursive: true, filter: (source) => !/[\\/](node_modules|dist|\.sparc|coverage)$/.test(source) });
  await fsp.symlink(modules, path.join(dir, 'node_modules'), 'dir');
  const specFile = path.join(dir, 'sparc.spec.json');
  const port = await freePort();
  await usePort(specFile, port);
  return { dir, specFile, port };
}
