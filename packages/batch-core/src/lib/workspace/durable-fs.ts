import { promises as fsp } from 'node:fs';
import { errnoCode } from './fs-errors';

/** File systems that cannot fsync a directory say so with one of these; nothing more can be done there. */
const DIR_SYNC_UNSUPPORTED = ['EINVAL', 'EPERM', 'EISDIR', 'EBADF', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES'];

/** Makes the entries of a directory (created, renamed, removed names) durable. */
export async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.includes(errnoCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** Fsyncs a file's data, first giving it exactly `mode` (no umask) when one is passed. */
export async function syncFile(file: string, mode?: number): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a new file and fsyncs it before returning. */
export async function writeFileDurably(file: string, data: Uint8Array): Promise<void> {
  const handle = await fsp.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
