import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createModeContext, runMode, Workspace, type ModeContext, type ModeRunResult, type SparcSpec } from '@sparc/batch-core';
import { codeMode } from '../../lib/mode/code-mode';

export interface TempWorkspace {
  dir: string;
  workspace: Workspace;
  cleanup(): Promise<void>;
}

export async function tempWorkspace(label: string): Promise<TempWorkspace> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `sparc-code-${label}-`));
  const workspace = await Workspace.open(dir);
  return { dir: workspace.root, workspace, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fsp.writeFile(path.join(root, file), content);
  }
}

/**
 * Every file under `root` with its content, and every folder, leaving out `.sparc/` (journals and
 * reports): what "nothing changed" is checked against.
 */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (rel === '.sparc' || rel === 'node_modules') continue;
      if (entry.isDirectory()) {
        out[`${rel}/`] = '<dir>';
        await walk(abs);
      } else out[rel] = await fsp.readFile(abs, 'utf8');
    }
  };
  await walk(root);
  return out;
}

/** Journals still under `.sparc/txn` (none once a commit has finished or been rolled back). */
export async function journalsLeft(root: string): Promise<string[]> {
  return fsp.readdir(path.join(root, '.sparc', 'txn')).catch(() => []);
}

/** A mode context like the CLI's: an engine on the workspace and its shared worker pool. */
export function modeContext(workspace: Workspace, extra: { spec?: SparcSpec } = {}): { ctx: ModeContext; close(): Promise<void> } {
  return createModeContext({ workspace, mode: 'code', ...(extra.spec ? { spec: extra.spec } : {}) });
}

/** Runs `code <command>` in the workspace the way the CLI does, and closes the engine after. */
export async function runCode<D = Record<string, unknown>>(workspace: Workspace, command: string | undefined, options: Record<string, unknown>, extra: { spec?: SparcSpec } = {}): Promise<ModeRunResult<D>> {
  const { ctx, close } = modeContext(workspace, extra);
  try {
    return await runMode<D>(codeMode, ctx, options, command === undefined ? {} : { command });
  } finally {
    await close();
  }
}
