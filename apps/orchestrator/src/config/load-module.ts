import { promises as fsp } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Loads a JS config file. `.cjs` (and `.js` in a CommonJS package) through `require`; `.mjs` (and
 * `.js` under `"type": "module"`) through `import()`, which TypeScript's node16 output keeps as a
 * real dynamic import (jest cannot run that path: tests reach it through the spawned CLI).
 *
 * A config imports `@sparc/batch-core` (for `defineMode`) and `zod`. In a workspace that has them
 * in its own node_modules they resolve there, as usual. In one that does not (a project outside
 * this repo, sparc installed globally), resolution falls back to the copies sparc itself runs on,
 * so `import { defineMode } from '@sparc/batch-core'` works everywhere.
 */

/** Bare specifiers a config may import without having them installed itself. */
const FALLBACK = /^(?:@sparc\/[a-z0-9-]+|zod)(?:\/.*)?$/;

/** A file inside this package: resolution falls back to "as if imported from here". */
const HERE = __filename;

let cjsFallbackInstalled = false;
let esmFallbackInstalled = false;

interface ResolvableModule {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

function installCjsFallback(): void {
  if (cjsFallbackInstalled) return;
  cjsFallbackInstalled = true;
  const loader = Module as unknown as ResolvableModule;
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolveWithFallback(request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !FALLBACK.test(request)) throw error;
      return require.resolve(request, { paths: [path.dirname(HERE)] });
    }
  };
}

/** Module hooks (they run on the loader thread, hence a self-contained source text). */
const ESM_HOOKS = `
const FALLBACK = ${FALLBACK.toString()};
let parentURL;
export async function initialize(data) { parentURL = data.parentURL; }
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !FALLBACK.test(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL });
  }
}
`;

function installEsmFallback(): void {
  if (esmFallbackInstalled) return;
  esmFallbackInstalled = true;
  const register = (Module as unknown as { register?: (specifier: string, options?: { data?: unknown }) => void }).register;
  // Node < 20.6 has no module.register; configs there need the packages installed.
  register?.(`data:text/javascript,${encodeURIComponent(ESM_HOOKS)}`, { data: { parentURL: pathToFileURL(HERE).href } });
}

async function packageType(file: string): Promise<'module' | 'commonjs'> {
  let dir = path.dirname(file);
  for (;;) {
    try {
      const manifest = JSON.parse(await fsp.readFile(path.join(dir, 'package.json'), 'utf8')) as { type?: string };
      return manifest.type === 'module' ? 'module' : 'commonjs';
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return 'commonjs';
      dir = parent;
    }
  }
}

function requireFresh(file: string): unknown {
  installCjsFallback();
  // A long-lived process (the MCP server) must see an edited config, not the cached one.
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- config files are loaded by path at run time
  return require(file);
}

async function importFresh(file: string): Promise<unknown> {
  installEsmFallback();
  const stat = await fsp.stat(file);
  // The query makes an edited file a new module: ESM has no cache to clear.
  return import(`${pathToFileURL(file).href}?mtime=${stat.mtimeMs}`);
}

/** The config object: an ES module's default export (else its named exports), or `module.exports`. */
function exportsOf(loaded: unknown): unknown {
  if (Object.prototype.toString.call(loaded) === '[object Module]') {
    const namespace = loaded as Record<string, unknown>;
    if (namespace.default !== undefined) return namespace.default;
    return Object.fromEntries(Object.entries(namespace).filter(([key]) => key !== 'default' && key !== 'module.exports'));
  }
  // A config compiled from TypeScript or ESM to CommonJS.
  if (loaded && typeof loaded === 'object' && (loaded as { __esModule?: unknown }).__esModule === true && 'default' in loaded) return (loaded as { default: unknown }).default;
  return loaded;
}

export async function loadConfigModule(file: string): Promise<unknown> {
  const extension = path.extname(file);
  if (extension === '.json') return JSON.parse(await fsp.readFile(file, 'utf8')) as unknown;
  const esm = extension === '.mjs' || (extension === '.js' && (await packageType(file)) === 'module');
  const loaded = esm ? await importFresh(file) : requireFresh(file);
  const config = exportsOf(loaded);
  // A config may export a function (sync or async) that builds the object.
  return typeof config === 'function' ? await (config as () => unknown)() : config;
}
