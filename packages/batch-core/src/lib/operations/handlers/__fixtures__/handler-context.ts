import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../../workspace/workspace';
import type { HandlerContext, OperationHandler } from '../../types';

export interface TempWorkspace {
  dir: string;
  workspace: Workspace;
  cleanup(): Promise<void>;
}

/** A real workspace in a fresh temp folder. */
export async function createTempWorkspace(): Promise<TempWorkspace> {
  const dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-handlers-')));
  const workspace = await Workspace.open(dir, { recover: false });
  return { dir, workspace, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export function createContext(workspace: Workspace, signal: AbortSignal = new AbortController().signal): HandlerContext {
  return {
    opId: 'op',
    attempt: 1,
    signal,
    workspace,
    files: workspace,
    pool: () => {
      throw new Error('no pool');
    },
  };
}

/** Parses the params with the handler's schema, as the engine does, then runs it. */
export async function runHandler<P, R>(handler: OperationHandler<P, R>, params: unknown, ctx: HandlerContext): Promise<R> {
  return handler.run(handler.params.parse(params), ctx);
}

/** Writes files given as { relativePath: content } under `dir`. */
export async function writeTree(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    await fsp.mkdir(path.dirname(abs), { recursive: true });
    await fsp.writeFile(abs, content);
  }
}
