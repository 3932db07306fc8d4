import { createRequire } from 'node:module';
import * as path from 'node:path';
import { runMany, type WorkerPool } from '@sparc/batch-core';
import { formatFiles, type FormatItem, type FormatOutcome } from '../../workers/format';
import { workerModulePath } from '../util/worker-path';

/**
 * The workspace's own Prettier entry, resolved as Node would from the workspace root (its
 * node_modules, then the folders above it), never from this package's dependencies; undefined
 * when the workspace has none.
 */
export function findWorkspacePrettier(root: string): string | undefined {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('prettier');
  } catch {
    return undefined;
  }
}

export interface FormatReport {
  /** The Prettier entry used; null when the workspace has none (nothing formatted). */
  prettier: string | null;
  formatted: number;
  /** Files Prettier failed on; they are written as generated. */
  failures: { path: string; message: string }[];
}

export interface FormatRequest {
  root: string;
  files: { path: string; content: string }[];
  /** The pool to format in (or how to get it: only called when there is something to format); without one, formatting runs on this thread. */
  pool?: WorkerPool | (() => WorkerPool);
  signal?: AbortSignal;
}

/** Formats the files with the workspace's Prettier when it has one; returns the new contents by path. */
export async function formatWithWorkspacePrettier(request: FormatRequest): Promise<{ contents: Map<string, string>; report: FormatReport }> {
  const contents = new Map<string, string>();
  const prettier = findWorkspacePrettier(request.root);
  if (prettier === undefined || request.files.length === 0) return { contents, report: { prettier: prettier ?? null, formatted: 0, failures: [] } };
  const items: FormatItem[] = request.files.map((f) => ({ prettier, root: request.root, path: f.path, content: f.content }));
  let outcomes: FormatOutcome[];
  if (request.pool) {
    const pool = typeof request.pool === 'function' ? request.pool() : request.pool;
    outcomes = await runMany<FormatItem, FormatOutcome>(pool, { module: workerModulePath('format'), exportName: 'formatFiles' }, items, { signal: request.signal });
  } else {
    outcomes = await formatFiles(items);
  }
  const report: FormatReport = { prettier, formatted: 0, failures: [] };
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'formatted') {
      contents.set(items[i].path, outcome.content);
      report.formatted++;
    } else if (outcome.status === 'failed') report.failures.push({ path: items[i].path, message: outcome.message });
  });
  return { contents, report };
}
