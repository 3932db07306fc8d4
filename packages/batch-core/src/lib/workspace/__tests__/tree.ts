import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh folder under the system temp dir, symlinks resolved (macOS /tmp is a link). */
export async function makeTempDir(prefix: string): Promise<string> {
  return fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** Writes `files` (relative path → content) under `root`; a path ending in `/` is an empty folder. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (rel.endsWith('/')) {
      await fsp.mkdir(abs, { recursive: true });
      continue;
    }
    await fsp.mkdir(path.dirname(abs), { recursive: true });
    await fsp.writeFile(abs, content);
  }
}

/**
 * Every file (path → content), folder (`path/` → '') and symlink (path → `-> target`) under
 * `root`, `.sparc/` excluded, so two snapshots are equal only when the trees are byte for byte
 * the same, empty folders included.
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (rel === '.sparc') continue;
      if (entry.isSymbolicLink()) {
        snapshot[rel] = `-> ${await fsp.readlink(abs)}`;
      } else if (entry.isDirectory()) {
        snapshot[`${rel}/`] = '';
        await walk(abs);
      } else {
        snapshot[rel] = await fsp.readFile(abs, 'utf8');
      }
    }
  };
  await walk(root);
  return snapshot;
}

/** Temp files left anywhere in the tree and journal folders left under `.sparc/txn`. */
export async function leftovers(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.name.includes('.sparc-tmp-')) found.push(path.relative(root, abs));
      if (entry.isDirectory() && entry.name !== '.sparc') await walk(abs);
    }
  };
  await walk(root);
  try {
    for (const journal of await fsp.readdir(path.join(root, '.sparc', 'txn'))) found.push(`.sparc/txn/${journal}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return found.sort();
}
