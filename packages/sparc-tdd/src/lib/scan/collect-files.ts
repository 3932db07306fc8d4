import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import type { Workspace } from '@sparc/batch-core';

export interface CollectOptions {
  /** Workspace-relative folder to scan. */
  src: string;
  include: string[];
  exclude: string[];
  tests: string[];
}

export interface CollectedFiles {
  /** Workspace-relative paths, sorted. */
  sources: string[];
  tests: string[];
}

/** Globs the scan folder and splits what it finds into source modules and test files. */
export async function collectFiles(workspace: Workspace, options: CollectOptions): Promise<CollectedFiles> {
  const base = await workspace.resolveReal(options.src);
  const found = await glob(options.include, { cwd: base, ignore: options.exclude, onlyFiles: true, dot: false, followSymbolicLinks: false });
  const isTest = picomatch(options.tests, { dot: true });
  const prefix = workspace.relative(base);
  const sources: string[] = [];
  const tests: string[] = [];
  for (const relative of found.sort()) {
    const file = prefix === '' ? relative : `${prefix}/${relative}`;
    (isTest(relative) || isTest(file) ? tests : sources).push(file);
  }
  return { sources, tests };
}
