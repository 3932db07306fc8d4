import { mkdirSync, promises as fsp, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

let written = 0;

/**
 * Writes a file through a temporary file and a rename, so a reader (another run at the same time)
 * sees the old content or the new, never a partial write, and two writers cannot interleave.
 */
export async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.${written++}.tmp`;
  try {
    await fsp.writeFile(temp, data);
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

/** The same, synchronously: for a small write at the end of a run, where a promise buys nothing. */
export function writeFileAtomicSync(file: string, data: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.${written++}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Entries a delta file may hold before the full file is written again: this many, or 1/32 of all. */
const MIN_DELTA_ENTRIES = 64;

/** Whether `changed` of `total` entries are few enough to go to a delta file instead of a new full file. */
export function fitsInDelta(changed: number, total: number): boolean {
  return changed <= Math.max(MIN_DELTA_ENTRIES, total >> 5);
}

/**
 * Writes a new full cache file and removes the delta that amended the old one; a first write also
 * removes the JSON file of earlier versions (`legacyName`, in the same folder).
 */
export async function replaceFullFile(file: string, data: Buffer, deltaFile: string, legacyName?: string): Promise<void> {
  await writeFileAtomic(file, data);
  await fsp.rm(deltaFile, { force: true });
  if (legacyName !== undefined) await fsp.rm(path.join(path.dirname(file), legacyName), { force: true });
}
