import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import type { Workspace } from '@sparc/batch-core';
import { packageEntries, type WorkspacePackage } from './resolve';

/** The named packages of the workspace (every package.json outside node_modules), so tests that import a sibling package by name count. */
export async function findWorkspacePackages(workspace: Workspace): Promise<WorkspacePackage[]> {
  const manifests = await glob(['**/package.json'], { cwd: workspace.root, ignore: ['**/node_modules/**', '**/dist/**', '**/.sparc/**', '**/__fixtures__/**'], onlyFiles: true });
  const packages = await Promise.all(
    manifests.map(async (manifest): Promise<WorkspacePackage | undefined> => {
      try {
        const parsed = JSON.parse(await fsp.readFile(path.join(workspace.root, manifest), 'utf8')) as Record<string, unknown>;
        if (typeof parsed.name !== 'string' || parsed.name === '') return undefined;
        const dir = path.posix.dirname(manifest);
        return { name: parsed.name, dir: dir === '.' ? '' : dir, entries: packageEntries(parsed) };
      } catch {
        return undefined;
      }
    }),
  );
  return packages.filter((p): p is WorkspacePackage => p !== undefined);
}
