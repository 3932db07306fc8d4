import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';

/**
 * Makes a path refuse every change, for real, so a commit that reaches it fails half-way. Tests
 * run as root here, and root ignores permission bits, so `chmod a-w` would not stop anything; the
 * immutable attribute (`chattr +i`) stops root too. Where chattr is not permitted (no
 * CAP_LINUX_IMMUTABLE, or a file system without attributes), the fallback is a file standing where
 * the commit needs a folder, which fails it just as honestly, when it creates the folder.
 */
export async function lockPath(abs: string, kind: 'folder' | 'file'): Promise<{ method: string; unlock(): Promise<void> }> {
  const locked = spawnSync('chattr', ['+i', abs], { encoding: 'utf8' });
  if (locked.status === 0) {
    return {
      method: 'chattr +i',
      unlock: async () => {
        spawnSync('chattr', ['-i', abs]);
      },
    };
  }
  // Fallback: replace the folder (or the file's folder) by a plain file.
  const folder = kind === 'folder' ? abs : abs.slice(0, abs.lastIndexOf('/'));
  await fsp.rm(folder, { recursive: true, force: true });
  await fsp.writeFile(folder, 'a file where a folder should be\n');
  return { method: 'file in place of a folder', unlock: async () => undefined };
}
