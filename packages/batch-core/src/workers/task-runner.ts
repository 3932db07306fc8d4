/**
 * The one worker entry of the pool: loads the task's module once per thread, calls the named
 * export with the payload and returns its (awaited) result wrapped in a `WorkerOutcome`.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RemoteErrorInfo } from '../lib/pool/errors';
import type { FailureStage, WorkerOutcome, WorkerRequest } from '../lib/pool/protocol';

type TaskFunction = (payload: unknown) => unknown;

const loadedModules = new Map<string, Promise<unknown>>();

export default async function runTask(request: WorkerRequest): Promise<WorkerOutcome> {
  let stage: FailureStage = 'load';
  try {
    const loaded = await loadModule(request.module);
    stage = 'export';
    const fn = pickExport(loaded, request.exportName, request.module);
    stage = 'call';
    const value = await fn(request.payload);
    // Functions and symbols cannot be cloned back; sending them would kill the thread instead.
    if (typeof value === 'function' || typeof value === 'symbol') {
      return failure('result', new TypeError(`${request.module}#${request.exportName} returned a ${typeof value}, which cannot be sent back from a worker thread`));
    }
    return { ok: true, value };
  } catch (error) {
    return failure(stage, error);
  }
}

function loadModule(specifier: string): Promise<unknown> {
  let loading = loadedModules.get(specifier);
  if (loading === undefined) {
    loading = importModule(specifier);
    loadedModules.set(specifier, loading);
    // A module that failed to load may be fixed on disk; let the next task try again.
    loading.catch(() => loadedModules.delete(specifier));
  }
  return loading;
}

async function importModule(specifier: string): Promise<unknown> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is only known at run time
    return require(specifier);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return import(path.isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier);
  }
}

function pickExport(loaded: unknown, exportName: string, module: string): TaskFunction {
  if (exportName === 'default' && typeof loaded === 'function') return loaded as TaskFunction;
  const candidate = loaded !== null && typeof loaded === 'object' ? (loaded as Record<string, unknown>)[exportName] : undefined;
  if (typeof candidate === 'function') return candidate as TaskFunction;
  const available = loaded !== null && typeof loaded === 'object' ? Object.keys(loaded).filter((key) => typeof (loaded as Record<string, unknown>)[key] === 'function') : [];
  const error = new Error(`${module} has no function export "${exportName}" (function exports: ${available.length > 0 ? available.join(', ') : 'none'})`);
  error.name = 'ExportNotFound';
  throw error;
}

function failure(stage: FailureStage, error: unknown): WorkerOutcome {
  return { ok: false, stage, error: describeError(error) };
}

function describeError(error: unknown): RemoteErrorInfo {
  // Duck-typed: errors from another realm (a vm context) are not `instanceof Error` here.
  if (error !== null && typeof error === 'object' && typeof (error as Error).message === 'string') {
    const { name, message, stack } = error as Partial<Error>;
    const info: RemoteErrorInfo = { name: typeof name === 'string' ? name : 'Error', message: message as string };
    if (typeof stack === 'string') info.stack = stack;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') info.code = code;
    return info;
  }
  return { name: 'NonErrorThrown', message: `task threw a non-error value: ${safeString(error)}` };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
