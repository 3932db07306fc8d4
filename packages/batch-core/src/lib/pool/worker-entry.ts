import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WorkerEntryMissingError } from './errors';

const PACKAGE_NAME = '@sparc/batch-core';
const TASK_RUNNER = path.join('dist', 'workers', 'task-runner.js');

let cachedEntry: string | undefined;

/**
 * Absolute path of the compiled generic worker. Worker threads cannot load TypeScript, so even when
 * this module runs from `src/` (under ts-jest) the pool must point at the built `dist/` file; the
 * package root is found by walking up to the package.json named `@sparc/batch-core`.
 */
export function taskRunnerPath(): string {
  cachedEntry ??= locateTaskRunner(__dirname);
  return cachedEntry;
}

/** The compiled task runner of the package that contains `fromDir`. Throws WorkerEntryMissingError. */
export function locateTaskRunner(fromDir: string): string {
  const entry = path.join(findPackageRoot(fromDir), TASK_RUNNER);
  if (!existsSync(entry)) throw new WorkerEntryMissingError(entry);
  return entry;
}

export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (readPackageName(path.join(dir, 'package.json')) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new WorkerEntryMissingError(path.join(`<${PACKAGE_NAME} package root above ${from}>`, TASK_RUNNER));
}

function readPackageName(file: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? String((parsed as { name?: unknown }).name) : undefined;
  } catch {
    return undefined;
  }
}
