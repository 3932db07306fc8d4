import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errnoCode } from './fs-errors';

/** The parts of a transaction's staged state a folder listing needs. Paths are absolute. */
export interface StagedTreeView {
  /** Staged content; `null` for a staged deletion. */
  files: ReadonlyMap<string, Buffer | null>;
  removedDirs: ReadonlySet<string>;
  /** Folders that exist only because something was staged in or as them. */
  stagedDirs: Iterable<string>;
}

export interface StagedTree {
  /** Files under the folder (at any depth) as the transaction sees them, sorted. */
  files: string[];
  /** Sub-folders at any depth, the folder itself excluded, sorted. */
  dirs: string[];
  /** Which of the folder and its sub-folders exist on disk. */
  onDisk: Set<string>;
}

/**
 * Everything under `dir`: what is on disk, minus what is staged for deletion, plus what is staged.
 * Symlinks are entries, never followed, so a listing cannot wander out of the folder.
 */
export async function listStagedTree(dir: string, view: StagedTreeView): Promise<StagedTree> {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const onDisk = new Set<string>();
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(current, { withFileTypes: true });
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    onDisk.add(current);
    for (const entry of entries) {
      const abs = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (view.removedDirs.has(abs)) continue;
        dirs.add(abs);
        await walk(abs);
      } else if (view.files.get(abs) !== null) {
        files.add(abs);
      }
    }
  };
  if (!view.removedDirs.has(dir)) await walk(dir);
  const prefix = dir + path.sep;
  for (const [abs, content] of view.files) if (content !== null && abs.startsWith(prefix)) files.add(abs);
  for (const staged of view.stagedDirs) if (staged.startsWith(prefix) && !view.removedDirs.has(staged)) dirs.add(staged);
  for (const file of files) dirs.delete(file);
  return { files: [...files].sort(), dirs: [...dirs].sort(), onDisk };
}
