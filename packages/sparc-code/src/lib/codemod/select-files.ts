import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PathOutsideWorkspaceError, type Workspace } from '@sparc/batch-core';
import { glob } from 'tinyglobby';
import { mapBounded } from '../util/bounded';

/** Never searched: dependencies, VCS data, and sparc's own journals and reports. */
export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '.sparc/**'];

/** Files read at once. */
const READ_CONCURRENCY = 64;

export interface SourceFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  source: string;
}

export interface SelectedFiles {
  files: SourceFile[];
  /** Matched but not text (a NUL byte in the first 8000 bytes, git's rule): left alone. */
  binary: string[];
}

/**
 * The files under the workspace matching `pattern` (tinyglobby syntax, relative to the root),
 * sorted, minus the default ignores and `ignore`, read in parallel. Each path goes through the
 * workspace, so nothing outside its root (by `..` or by symlink) is ever read.
 */
export async function selectFiles(workspace: Workspace, pattern: string, ignore: readonly string[] = []): Promise<SelectedFiles> {
  assertInside(pattern);
  const paths = (await glob(pattern, { cwd: workspace.root, ignore: [...DEFAULT_IGNORES, ...ignore], onlyFiles: true, dot: false })).sort();
  const read = await mapBounded(paths, READ_CONCURRENCY, async (p) => {
    const content = await fsp.readFile(await workspace.resolveReal(p));
    return { path: workspace.relative(workspace.resolve(p)), content };
  });
  const files: SourceFile[] = [];
  const binary: string[] = [];
  for (const { path, content } of read) {
    if (isBinary(content)) binary.push(path);
    else files.push({ path, source: content.toString('utf8') });
  }
  return { files, binary };
}

function isBinary(content: Buffer): boolean {
  const end = Math.min(content.length, 8000);
  for (let i = 0; i < end; i++) if (content[i] === 0) return true;
  return false;
}

/** Refuses a pattern that leaves the root before any folder is crawled (symlinks are checked per file). */
function assertInside(pattern: string): void {
  const normalized = path.posix.normalize(pattern.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
    throw new PathOutsideWorkspaceError(pattern, 'globs are relative to the workspace root and stay inside it');
  }
}
