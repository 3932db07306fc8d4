import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WorkerModuleMissingError } from '../errors';

const PACKAGE_NAME = '@sparc/code';
let packageRoot: string | undefined;

/**
 * Absolute path of a compiled worker module of this package (`dist/workers/<name>.js`). Worker
 * threads cannot load TypeScript, so this points at `dist/` even when the caller runs from `src/`
 * under ts-jest; the package root is the nearest folder up whose package.json is `@sparc/code`.
 */
export function workerModulePath(name: 'format' | 'transform'): string {
  packageRoot ??= findPackageRoot(__dirname);
  const file = path.join(packageRoot, 'dist', 'workers', `${name}.js`);
  if (!existsSync(file)) throw new WorkerModuleMissingError(file);
  return file;
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
    } catch {
      // no package.json here; keep walking up
    }
    if (path.dirname(dir) === dir) throw new WorkerModuleMissingError(path.join(`<${PACKAGE_NAME} above ${from}>`, 'dist', 'workers'));
  }
}
