import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The built `@sparc/batch-core` (CommonJS): its `module.exports` object, so every export is
 * reachable whether or not Node's named-export detection sees it.
 */
export async function loadCore() {
  let mod;
  try {
    mod = await import('@sparc/batch-core');
  } catch (error) {
    throw new Error(`cannot load @sparc/batch-core (run "npm run build" first): ${error.message}`);
  }
  return mod.default ?? mod;
}

/** An export the suite cannot do without; a clear message instead of "x is not a function". */
export function need(core, name) {
  const value = core[name];
  if (value === undefined) throw new Error(`@sparc/batch-core does not export "${name}"`);
  return value;
}

/** The zod instance batch-core itself uses, so handler schemas are checked by the same library. */
export function zodOf(core) {
  if (core.z) return core.z;
  const fromCore = createRequire(require.resolve('@sparc/batch-core/package.json'));
  return fromCore('zod').z;
}

export async function makeTempDir(label) {
  return fs.mkdtemp(path.join(os.tmpdir(), `sparc-bench-${label}-`));
}

export async function removeDir(dir) {
  await fs.rm(dir, { recursive: true, force: true });
}

/** A workspace on a fresh temp folder, and the function that removes it. */
export async function tempWorkspace(core, label) {
  const dir = await makeTempDir(label);
  const workspace = await need(core, 'Workspace').open(dir);
  return { dir, workspace, dispose: () => removeDir(dir) };
}

/** A registry with every built-in type plus the given handlers. */
export function registryWith(core, handlers) {
  const registry = need(core, 'createDefaultRegistry')();
  for (const handler of handlers) registry.register(handler);
  return registry;
}

/** Throws unless every operation of an engine run succeeded. */
export function assertBatchSucceeded(result, expectedOps, what) {
  const failed = result.results.filter((r) => r.status !== 'succeeded');
  if (result.status !== 'succeeded' || result.results.length !== expectedOps || failed.length > 0) {
    const first = failed[0];
    const detail = first ? `; first: ${first.id} ${first.status} ${first.error?.code ?? ''} ${first.error?.message ?? ''}` : '';
    throw new Error(`${what}: batch ${result.status}, ${result.results.length}/${expectedOps} results, ${failed.length} not succeeded${detail}`);
  }
}
