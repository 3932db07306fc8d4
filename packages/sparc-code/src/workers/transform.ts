/**
 * Worker task: runs a user transform (jscodeshift's model: `(file: { path, source }) => string |
 * null | undefined`, sync or async) over a chunk of files. A throw fails only that file, so the
 * caller can list every failure; a module that cannot be loaded fails the whole chunk.
 */
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface TransformItem {
  /** Absolute path of the transform module. */
  transform: string;
  /** Workspace-relative path, as the transform sees it. */
  path: string;
  source: string;
}

export type TransformOutcome = { status: 'changed'; output: string } | { status: 'unchanged' } | { status: 'failed'; message: string; stack?: string };

type TransformFunction = (file: { path: string; source: string }) => unknown;

/** Loaded transforms by path, with the modification time they were loaded at, so an edited transform is reloaded. */
const loaded = new Map<string, { mtimeMs: number; fn: Promise<TransformFunction> }>();

async function importTransform(file: string): Promise<TransformFunction> {
  let mod: unknown;
  if (file.endsWith('.mjs')) mod = await import(pathToFileURL(file).href);
  else {
    delete require.cache[file];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's transform, known only at run time
      mod = require(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      mod = await import(pathToFileURL(file).href);
    }
  }
  const record = mod as Record<string, unknown> | undefined;
  const candidates: unknown[] = [mod, record?.default, record?.transform, (record?.default as Record<string, unknown> | undefined)?.default];
  const fn = candidates.find((c) => typeof c === 'function');
  if (fn === undefined) {
    const error = new Error(`${file} exports no function (export one as module.exports, default, or transform)`);
    error.name = 'TransformExportError';
    throw error;
  }
  return fn as TransformFunction;
}

function loadTransform(file: string): Promise<TransformFunction> {
  const mtimeMs = statSync(file).mtimeMs;
  const cached = loaded.get(file);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.fn;
  const fn = importTransform(file);
  loaded.set(file, { mtimeMs, fn });
  fn.catch(() => loaded.delete(file));
  return fn;
}

export async function transformFiles(items: TransformItem[]): Promise<TransformOutcome[]> {
  const outcomes: TransformOutcome[] = [];
  // One freshness check per transform per chunk, not per file.
  const transforms = new Map<string, Promise<TransformFunction>>();
  for (const item of items) {
    let loading = transforms.get(item.transform);
    if (loading === undefined) {
      loading = loadTransform(item.transform);
      transforms.set(item.transform, loading);
    }
    const transform = await loading;
    try {
      const output: unknown = await transform({ path: item.path, source: item.source });
      if (output === null || output === undefined || output === item.source) outcomes.push({ status: 'unchanged' });
      else if (typeof output === 'string') outcomes.push({ status: 'changed', output });
      else outcomes.push({ status: 'failed', message: `the transform returned ${Array.isArray(output) ? 'an array' : `a ${typeof output}`}; it must return a string, null or undefined` });
    } catch (error) {
      const failure: TransformOutcome = { status: 'failed', message: error instanceof Error ? error.message : `threw a non-error value: ${String(error)}` };
      if (error instanceof Error && typeof error.stack === 'string') failure.stack = error.stack;
      outcomes.push(failure);
    }
  }
  return outcomes;
}
