import { promises as fsp } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import { OperationError, PathOutsideWorkspaceError } from '../errors';
import type { Workspace } from '../workspace/workspace';

/**
 * Turns the `module` of a `cpu` operation into an absolute file inside the workspace:
 * `./x` and `../x` are workspace-relative; absolute paths and package specifiers are resolved
 * as Node would from the workspace root, and accepted only when the file lies inside it.
 */
export async function resolveTaskModule(specifier: string, workspace: Workspace): Promise<string> {
  if (isBuiltin(specifier)) throw new PathOutsideWorkspaceError(specifier, 'built-in modules cannot run as CPU tasks');
  const relative = specifier.startsWith('.');
  const candidate = relative || path.isAbsolute(specifier) ? await workspace.resolveReal(specifier) : specifier;
  const resolved = await resolveFile(candidate, workspace.root, specifier);
  // The resolved file may differ from the candidate (an extension added, a package's `main`): check it too.
  return workspace.resolveReal(resolved);
}

async function resolveFile(candidate: string, root: string, specifier: string): Promise<string> {
  if (path.isAbsolute(candidate) && (await isFile(candidate))) return candidate;
  try {
    const resolved = createRequire(path.join(root, 'package.json')).resolve(candidate);
    if (path.isAbsolute(resolved)) return resolved;
  } catch (error) {
    throw new OperationError('CPU_MODULE_NOT_FOUND', `cannot find CPU task module "${specifier}" from the workspace root`, { cause: error, details: { module: specifier } });
  }
  throw new OperationError('CPU_MODULE_NOT_FOUND', `CPU task module "${specifier}" does not resolve to a file`, { details: { module: specifier } });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}
