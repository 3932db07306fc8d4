import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

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
  return createTwoFilesPatch(oldName, newName, text(before), text(after), undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}

/** The diffs of several files, in path order, as one patch. */
export function unifiedDiffs(files: readonly FileDiffInput[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(unifiedDiff)
    .join('');
}

function text(content: Uint8Array | null): string {
  return content === null ? '' : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
}
