import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { BatchEngine, SparcError, Workspace, type BatchResult, type OperationRegistry } from '@sparc/batch-core';
import { InitError } from './errors';
import { assertProjectName } from './project-name';
import { projectFiles } from './template';

export interface InitOptions {
  /** Project name (npm package name rules). */
  name: string;
  /** Folder of the new workspace: created when missing, refused when not empty. */
  root: string;
  signal?: AbortSignal;
  /** Operation types for the batch (the MCP server passes its guarded registry). */
  registry?: OperationRegistry;
}

export interface InitResult {
  name: string;
  /** Absolute path of the new workspace. */
  root: string;
  /** Workspace-relative paths of the files written. */
  files: string[];
  batch: { status: BatchResult['status']; committed: boolean; operations: number; wallMs: number };
}

/** The batch wrote nothing: its operations or its commit failed, and everything was rolled back. */
export class InitFailedError extends SparcError {
  constructor(message: string) {
    super('INIT_FAILED', message);
  }
}

/**
 * Creates a new workspace in one atomic batch: every file is staged, then committed together, so
 * a failure leaves no half-made project. A folder this call created is removed again on failure.
 */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  assertProjectName(options.name);
  const root = path.resolve(options.root);
  const createdFrom = await prepareTarget(root);
  try {
    const workspace = await Workspace.open(root);
    // Not recorded: a new workspace's metrics would start with a run the user never asked for.
    const engine = new BatchEngine({ workspace, monitor: false, ...(options.registry ? { registry: options.registry } : {}) });
    const files = projectFiles(options.name);
    let result: BatchResult;
    try {
      result = await engine.run(
        {
          label: 'sparc init',
          atomic: true,
          operations: files.map((file) => ({ id: file.path, type: 'file.write', params: { path: file.path, content: file.content, overwrite: false } })),
        },
        options.signal ? { signal: options.signal } : {},
      );
    } finally {
      await engine.close();
    }
    if (result.status !== 'succeeded' || result.commitError || result.committed !== true) {
      const failed = result.results.find((r) => r.error);
      const reason = result.commitError ?? failed?.error;
      throw new InitFailedError(`creating ${root} failed, nothing was written${reason ? `: ${reason.code}: ${reason.message}` : ''}`);
    }
    await removeEmptyDir(path.join(root, '.sparc', 'txn'));
    await removeEmptyDir(path.join(root, '.sparc'));
    return {
      name: options.name,
      root,
      files: files.map((f) => f.path),
      batch: { status: result.status, committed: true, operations: result.results.length, wallMs: result.metrics.wallMs },
    };
  } catch (error) {
    await undoTarget(root, createdFrom);
    throw error;
  }
}

/**
 * Makes sure `root` is an empty folder. Returns the topmost folder this call created (to remove on
 * failure), or undefined when `root` already existed.
 */
async function prepareTarget(root: string): Promise<string | undefined> {
  const stat = await fsp.stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return fsp.mkdir(root, { recursive: true });
  if (!stat.isDirectory()) throw new InitError('INIT_TARGET_NOT_A_FOLDER', `${root} exists and is not a folder`);
  const entries = await fsp.readdir(root);
  if (entries.length > 0) {
    const shown = entries.slice(0, 5).join(', ');
    throw new InitError('INIT_TARGET_NOT_EMPTY', `${root} is not empty (${shown}${entries.length > 5 ? `, and ${entries.length - 5} more` : ''}); sparc init only writes into a new or empty folder`);
  }
  return undefined;
}

/** Puts the target back as it was: removes the folders this call created, else what it added. */
async function undoTarget(root: string, createdFrom: string | undefined): Promise<void> {
  if (createdFrom) {
    await fsp.rm(createdFrom, { recursive: true, force: true });
    return;
  }
  // The folder was empty before: the rolled-back batch can only have left its journal folder.
  await fsp.rm(path.join(root, '.sparc'), { recursive: true, force: true });
}

async function removeEmptyDir(dir: string): Promise<void> {
  await fsp.rmdir(dir).catch(() => undefined);
}
