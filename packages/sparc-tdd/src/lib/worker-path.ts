import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TddError } from './errors';

const PACKAGE_NAME = '@sparc/tdd';
let packageRoot: string | undefined;

/**
 * Absolute path of a compiled worker of this package. Worker threads cannot load TypeScript, so
 * even when this code runs from `src/` (under ts-jest) the pool gets the built `dist/` file.
 */
export function workerPath(name: string): string {
  packageRoot ??= findPackageRoot(__dirname);
  const file = path.join(packageRoot, 'dist', 'workers', `${name}.js`);
  if (!existsSync(file)) throw new TddError('TDD_SCAN_FAILED', `the compiled worker ${file} is missing: build @sparc/tdd first (npx tsc -p tsconfig.lib.json)`);
  return file;
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === PACKAGE_NAME) return dir;
    } catch {
      // no package.json here; keep walking up
    }
    if (path.dirname(dir) === dir) throw new TddError('TDD_SCAN_FAILED', `cannot find the ${PACKAGE_NAME} package root above ${from}`);
  }
}
