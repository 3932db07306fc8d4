import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { PathOutsideWorkspaceError } from '../../errors';
import type { Workspace } from '../../workspace/workspace';

/** Folders no search wants by default: dependencies, git internals and sparc's own state. */
export const DEFAULT_IGNORE: readonly string[] = ['**/node_modules/**', '**/.git/**', '**/.sparc/**'];

// A `..` segment, also inside a brace alternative (`{..,src}/x`); `{1..9}` ranges stay allowed.
const PARENT_SEGMENT = /(^|[/\\{,])\.\.($|[/\\},])/;
// An absolute start, also inside a brace alternative (`{/etc,src}`).
const ABSOLUTE_START = /(^|[{,])([/\\]|[A-Za-z]:)/;

/** Refuses glob patterns that could match outside the search folder. */
export function assertPatternInside(pattern: string): void {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (path.isAbsolute(body) || ABSOLUTE_START.test(body)) throw new PathOutsideWorkspaceError(pattern, 'glob patterns must be relative');
  if (PARENT_SEGMENT.test(body)) throw new PathOutsideWorkspaceError(pattern, 'glob patterns may not contain ".." segments');
}

export interface ListOptions {
  patterns: readonly string[];
  /** Folder the patterns are relative to (workspace-relative). */
  cwd: string;
  ignore: readonly string[];
  useDefaultIgnore: boolean;
  dot: boolean;
  onlyFiles: boolean;
  signal: AbortSignal;
}

/**
 * Lists workspace entries matching the patterns, as sorted workspace-relative paths (folders end
 * with `/`). Symbolic links are neither followed nor listed, so nothing outside the root appears.
 */
export async function listEntries(workspace: Workspace, options: ListOptions): Promise<string[]> {
  for (const pattern of options.patterns) assertPatternInside(pattern);
  const cwdAbs = await workspace.resolveReal(options.cwd);
  const ignore = options.useDefaultIgnore ? [...DEFAULT_IGNORE, ...options.ignore] : [...options.ignore];
  const found = await glob([...options.patterns], {
    cwd: cwdAbs,
    ignore,
    dot: options.dot,
    onlyFiles: options.onlyFiles,
    followSymbolicLinks: false,
    signal: options.signal,
  });
  if (options.signal.aborted) throw options.signal.reason;
  const prefix = workspace.relative(cwdAbs);
  const entries: string[] = [];
  for (const entry of found) {
    const abs = path.join(cwdAbs, entry);
    if (!workspace.contains(abs)) continue;
    entries.push(prefix === '' ? entry : `${prefix}/${entry}`);
  }
  return entries.sort();
}
