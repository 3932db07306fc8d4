import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ArchitectError } from './errors';

const PACKAGE_NAME = '@sparc/architect';
const WORKER = path.join('dist', 'workers', 'parse-worker.js');
let cached: string | undefined;

/**
 * The compiled parse worker. Worker threads load JavaScript only, so even when this module runs
 * from `src/` (under ts-jest) the pool gets the built file of this package.
 */
export function parseWorkerPath(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (readName(path.join(dir, 'package.json')) === PACKAGE_NAME) {
      const entry = path.join(dir, WORKER);
      if (!existsSync(entry)) throw new ArchitectError('WORKER_NOT_BUILT', `the parse worker ${entry} is missing: build @sparc/architect first (npx tsc -p tsconfig.lib.json)`);
      cached = entry;
      return entry;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new ArchitectError('WORKER_NOT_BUILT', `cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
}

function readName(file: string): string | undefined {
  try {
    return String((JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name);
  } catch {
    return undefined;
  }
}
