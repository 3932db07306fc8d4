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
