import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errnoCode } from './fs-errors';

/** What was at a path when a transaction first looked at it. */
export type Original =
  | { kind: 'absent' }
  | { kind: 'directory' }
  | { kind: 'file'; sha256: string; content: Buffer };

export function sha256(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Reads what is at `abs` now; a missing path (or a missing parent folder) is `absent`. */
export async function loadOriginal(abs: string): Promise<Original> {
  try {
    const content = await fsp.readFile(abs);
    return { kind: 'file', sha256: sha256(content), content };
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    if (code === 'EISDIR') return { kind: 'directory' };
    throw error;
  }
}

export interface OriginalCheck {
  changed: boolean;
  /** Permission bits of the file now, when asked for (to give its replacement the same ones). */
  mode?: number;
}

/**
 * Whether `abs` still holds what the transaction recorded: the same bytes (by sha256) for a file,
 * nothing for an absent path. Folders are not compared here (see `findUnexpectedEntries`).
 */
export async function checkOriginal(abs: string, original: Original, wantMode: boolean): Promise<OriginalCheck> {
  if (original.kind === 'directory') return { changed: false };
  if (original.kind === 'absent') {
    try {
      await fsp.lstat(abs);
      return { changed: true };
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return { changed: false };
      throw error;
    }
  }
  try {
    if (!wantMode) return { changed: sha256(await fsp.readFile(abs)) !== original.sha256 };
    const handle = await fsp.open(abs, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return { changed: true };
      return { changed: sha256(await handle.readFile()) !== original.sha256, mode: stat.mode & 0o7777 };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return { changed: true };
    throw error;
  }
}

/**
 * Entries under `dir` on disk that are not in `known` (absolute paths): what appeared in a folder
 * after the transaction listed it for removal. Symlinked folders are entries, not descended into.
 */
export async function findUnexpectedEntries(dir: string, known: ReadonlySet<string>): Promise<string[]> {
  const unexpected: string[] = [];
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return unexpected;
    throw error;
  }
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    if (!known.has(abs)) unexpected.push(abs);
    else if (entry.isDirectory()) unexpected.push(...(await findUnexpectedEntries(abs, known)));
  }
  return unexpected;
}
