import type * as Diff from 'diff';

let diffLibrary: typeof Diff | undefined;

/** The diff library, loaded on the first diff: most runs never show one, and every CLI start would pay for it. */
function diffLib(): typeof Diff {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  diffLibrary ??= require('diff') as typeof Diff;
  return diffLibrary;
}

/** One file's contents before and after; `null` means the file does not exist on that side. */
export interface FileDiffInput {
  /** Workspace-relative path with forward slashes. */
  path: string;
  before: Uint8Array | null;
  after: Uint8Array | null;
}

/** Git's heuristic: a NUL byte in the first 8000 bytes means binary. */
const BINARY_PROBE_BYTES = 8000;

export function isBinary(content: Uint8Array | null): boolean {
  if (content === null) return false;
  const end = Math.min(content.length, BINARY_PROBE_BYTES);
  for (let i = 0; i < end; i++) if (content[i] === 0) return true;
  return false;
}

/**
 * A unified diff of one file with git's conventions: `a/` and `b/` prefixes, `/dev/null` for the
 * missing side of a created or deleted file, and a one-line notice for binary content.
 */
export function unifiedDiff({ path, before, after }: FileDiffInput): string {
  const oldName = before === null ? '/dev/null' : `a/${path}`;
  const newName = after === null ? '/dev/null' : `b/${path}`;
  if (isBinary(before) || isBinary(after)) return `Binary files ${oldName} and ${newName} differ\n`;
  if (before === null) return wholeFilePatch(oldName, newName, text(after), '+');
  if (after === null) return wholeFilePatch(oldName, newName, text(before), '-');
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = diffLib();
  return createTwoFilesPatch(oldName, newName, text(before), text(after), undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}

/** The diffs of several files, in path order, as one patch. */
export function unifiedDiffs(files: readonly FileDiffInput[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(unifiedDiff)
    .join('');
}

/**
 * The patch of a created or deleted file, byte for byte what `createTwoFilesPatch` prints for it,
 * without running a diff: a commit of many new files should not pay for one each.
 */
function wholeFilePatch(oldName: string, newName: string, content: string, sign: '+' | '-'): string {
  const header = `--- ${oldName}\n+++ ${newName}\n`;
  if (content.length === 0) return header;
  const lines = content.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  const range = `1,${lines.length}`;
  const hunk = sign === '+' ? `@@ -0,0 +${range} @@\n` : `@@ -${range} +0,0 @@\n`;
  return `${header}${hunk}${sign}${lines.join(`\n${sign}`)}\n${endsWithNewline ? '' : '\\ No newline at end of file\n'}`;
}

function text(content: Uint8Array | null): string {
  return content === null ? '' : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
}
