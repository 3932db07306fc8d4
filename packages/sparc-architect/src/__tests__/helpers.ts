import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createModeContext, runMode, Workspace, type ModeRunResult, type SparcSpec } from '@sparc/batch-core';
import { architectMode } from '../lib/mode';
import type { ArchitectData } from '../lib/data';

export interface TempDir {
  dir: string;
  cleanup(): Promise<void>;
}

export async function tempDir(label: string): Promise<TempDir> {
  const dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), `sparc-architect-${label}-`)));
  return { dir, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fsp.writeFile(path.join(root, file), content);
  }
}

/** Runs the architect mode the way the CLI does: a workspace, an engine with its worker pool, an artifact writer. */
export async function runArchitect(root: string, options: Record<string, unknown> = {}, extra: { spec?: SparcSpec } = {}): Promise<ModeRunResult<ArchitectData>> {
  const workspace = await Workspace.open(root);
  const { ctx, close } = createModeContext({ workspace, mode: 'architect', ...(extra.spec ? { spec: extra.spec } : {}) });
  try {
    return await runMode<ArchitectData>(architectMode, ctx, options);
  } finally {
    await close();
  }
}

/** The data of a run that must have succeeded (passed or warning). */
export function dataOf(result: ModeRunResult<ArchitectData>): ArchitectData {
  if (result.data === undefined) throw new Error(`architect run failed: ${result.summary}\n${JSON.stringify(result.findings, null, 2)}`);
  return result.data;
}
