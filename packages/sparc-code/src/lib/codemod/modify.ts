import { ValidationError, type Workspace } from '@sparc/batch-core';
import { selectFiles } from './select-files';
import { commitChanges, type ChangedFile } from './stage-changes';

export interface ModifyOptions {
  /** Files to change (tinyglobby syntax, relative to the workspace root). */
  glob: string;
  ignore?: string[];
  /** Text to find; a regular expression source with `regex`. */
  find: string;
  /** Replacement; with `regex`, `$1`, `$<name>` and `$&` refer to the match. */
  replace: string;
  regex?: boolean;
  /** Fail, writing nothing, unless exactly this many replacements are made over all files. */
  expect?: number;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface ModifyResult {
  /** Files the glob matched (text ones). */
  matched: number;
  /** Replacements per changed file, sorted by path. */
  changes: { path: string; replacements: number }[];
  replacements: number;
  /** Text files the glob matched that have no occurrence. */
  unchanged: string[];
  /** Binary files the glob matched, left alone. */
  skipped: string[];
  /** Set when `expect` was given and the count differs: nothing was written. */
  expectationFailed?: { expected: number; actual: number };
  committed: boolean;
  diff?: string;
}

/**
 * Find and replace across every file the glob matches, read in parallel and committed in one
 * transaction: all files change or none (a mismatch with `expect` writes nothing).
 */
export async function modifyFilesMatching(workspace: Workspace, options: ModifyOptions): Promise<ModifyResult> {
  if (options.find === '') throw new ValidationError('modify: --find must not be empty', [{ path: 'find', message: 'must not be empty' }]);
  const pattern = options.regex ? compileRegex(options.find) : undefined;
  const { files, binary } = await selectFiles(workspace, options.glob, options.ignore);
  options.signal?.throwIfAborted();
  const changed: (ChangedFile & { replacements: number })[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const { output, replacements } = replaceAll(file.source, options, pattern);
    if (replacements > 0) changed.push({ ...file, output, replacements });
    else unchanged.push(file.path);
  }
  const total = changed.reduce((sum, file) => sum + file.replacements, 0);
  const result: ModifyResult = {
    matched: files.length,
    changes: changed.map((f) => ({ path: f.path, replacements: f.replacements })),
    replacements: total,
    unchanged,
    skipped: binary,
    committed: false,
  };
  if (options.expect !== undefined && options.expect !== total) {
    result.expectationFailed = { expected: options.expect, actual: total };
    return result;
  }
  const writes = changed.filter((f) => f.output !== f.source);
  const staged = await commitChanges(workspace, writes, { dryRun: options.dryRun, signal: options.signal });
  result.committed = staged.committed;
  if (staged.diff !== undefined) result.diff = staged.diff;
  return result;
}

function compileRegex(source: string): RegExp {
  try {
    return new RegExp(source, 'g');
  } catch (error) {
    throw new ValidationError(`modify: --find is not a valid regular expression: ${(error as Error).message}`, [{ path: 'find', message: 'invalid regular expression' }]);
  }
}

/** Literal text is replaced as is (a `$` in it is just a dollar); a pattern with `String.prototype.replace`'s `$1`/`$<name>`/`$&`. */
function replaceAll(source: string, options: ModifyOptions, pattern: RegExp | undefined): { output: string; replacements: number } {
  if (pattern === undefined) {
    const parts = source.split(options.find);
    return { output: parts.join(options.replace), replacements: parts.length - 1 };
  }
  let replacements = 0;
  for (const _ of source.matchAll(pattern)) replacements++;
  return { output: replacements > 0 ? source.replace(pattern, options.replace) : source, replacements };
}
