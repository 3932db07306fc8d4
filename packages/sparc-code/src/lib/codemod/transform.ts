import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CpuTaskError, runMany, type WorkerPool, type Workspace } from '@sparc/batch-core';
import { TransformModuleError } from '../errors';
import { transformFiles, type TransformItem, type TransformOutcome } from '../../workers/transform';
import { workerModulePath } from '../util/worker-path';
import { selectFiles } from './select-files';
import { commitChanges, type ChangedFile } from './stage-changes';

export interface TransformOptions {
  /** The transform module: workspace-relative, or absolute. */
  transform: string;
  /** Files to transform (tinyglobby syntax, relative to the workspace root). */
  glob: string;
  ignore?: string[];
  /** Commit the files that transformed cleanly and list the failures, instead of writing nothing. @default false */
  continueOnError?: boolean;
  dryRun?: boolean;
  /** The pool the transform runs in; without one it runs on this thread. */
  pool?: WorkerPool;
  /** Files per pool task. @default runMany's: four chunks per thread */
  chunkSize?: number;
  signal?: AbortSignal;
}

export interface TransformFailure {
  path: string;
  message: string;
}

export interface TransformResult {
  /** Absolute path of the transform module that ran. */
  transform: string;
  matched: number;
  /** Files the transform changed, sorted. */
  changed: string[];
  unchanged: string[];
  /** Binary files the glob matched, left alone. */
  skipped: string[];
  /** Files the transform threw on (or returned something other than a string for), sorted by path. */
  failures: TransformFailure[];
  committed: boolean;
  diff?: string;
}

/**
 * Runs a transform over every file the glob matches, in the worker pool, and commits the changed
 * files in one transaction. When it fails on any file nothing is written (unless
 * `continueOnError`, which commits the rest); the failures name their files.
 */
export async function transformFilesMatching(workspace: Workspace, options: TransformOptions): Promise<TransformResult> {
  const transform = await resolveTransform(workspace, options.transform);
  const { files, binary } = await selectFiles(workspace, options.glob, options.ignore);
  options.signal?.throwIfAborted();
  const items: TransformItem[] = files.map((f) => ({ transform, path: f.path, source: f.source }));
  let outcomes: TransformOutcome[];
  try {
    outcomes = options.pool
      ? await runMany<TransformItem, TransformOutcome>(options.pool, { module: workerModulePath('transform'), exportName: 'transformFiles' }, items, { signal: options.signal, chunkSize: options.chunkSize })
      : await transformFiles(items);
  } catch (error) {
    // A per-file throw comes back as data; a rejection here means the module itself failed to load.
    if (error instanceof CpuTaskError) throw new TransformModuleError(transform, error.message);
    throw error;
  }
  const changed: ChangedFile[] = [];
  const unchanged: string[] = [];
  const failures: TransformFailure[] = [];
  outcomes.forEach((outcome, i) => {
    const file = files[i];
    if (outcome.status === 'changed') changed.push({ ...file, output: outcome.output });
    else if (outcome.status === 'unchanged') unchanged.push(file.path);
    else failures.push({ path: file.path, message: outcome.message });
  });
  const result: TransformResult = { transform, matched: files.length, changed: changed.map((f) => f.path), unchanged, skipped: binary, failures, committed: false };
  if (failures.length > 0 && !options.continueOnError) return result;
  const staged = await commitChanges(workspace, changed, { dryRun: options.dryRun, signal: options.signal });
  result.committed = staged.committed;
  if (staged.diff !== undefined) result.diff = staged.diff;
  return result;
}

async function resolveTransform(workspace: Workspace, file: string): Promise<string> {
  const abs = path.isAbsolute(file) ? file : workspace.resolve(file);
  const stat = await fsp.stat(abs).catch(() => undefined);
  if (!stat?.isFile()) throw new TransformModuleError(file, 'no such file');
  return fsp.realpath(abs);
}
