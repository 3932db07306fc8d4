import { OperationError } from '../errors';

/** One text replacement: `old` must occur exactly once, or any number of times with `all`. */
export interface TextEdit {
  old: string;
  new: string;
  all?: boolean;
}

export interface EditOutcome {
  content: string;
  /** Occurrences replaced, over all edits. */
  replacements: number;
}

const EXCERPT_CHARS = 60;

/**
 * Applies `edits` in order, each to the result of the previous, and says how many occurrences
 * were replaced. Pure: throws before returning anything when one edit cannot apply, so a caller
 * that stages the result stages all of the edits or none of them.
 */
export function applyEditsCounted(path: string, content: string, edits: readonly TextEdit[]): EditOutcome {
  let current = content;
  let replacements = 0;
  edits.forEach((edit, index) => {
    const which = edits.length > 1 ? ` (edit ${index + 1} of ${edits.length})` : '';
    if (edit.old.length === 0) {
      throw new OperationError('EDIT_INVALID', `${path}: an edit needs non-empty text to find${which}`, { details: { path, edit: index } });
    }
    const first = current.indexOf(edit.old);
    if (first === -1) {
      throw new OperationError('EDIT_NOT_FOUND', `${path}: text to replace not found${which}: ${excerpt(edit.old)}`, { details: { path, edit: index } });
    }
    if (edit.all) {
      const parts = current.split(edit.old);
      replacements += parts.length - 1;
      current = parts.join(edit.new);
      return;
    }
    if (current.indexOf(edit.old, first + 1) !== -1) {
      const count = countOccurrences(current, edit.old);
      throw new OperationError('EDIT_AMBIGUOUS', `${path}: text to replace occurs ${count} times${which}; add context to make it unique or set "all": ${excerpt(edit.old)}`, {
        details: { path, edit: index, occurrences: count },
      });
    }
    // Slicing, not String#replace, so `$&` and friends in the new text stay literal.
    current = current.slice(0, first) + edit.new + current.slice(first + edit.old.length);
    replacements += 1;
  });
  return { content: current, replacements };
}

/** `applyEditsCounted` without the count. */
export function applyEdits(path: string, content: string, edits: readonly TextEdit[]): string {
  return applyEditsCounted(path, content, edits).content;
}

/** Occurrences, overlapping ones included (they make an edit just as ambiguous). */
function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

function excerpt(text: string): string {
  const firstLine = text.split('\n', 1)[0];
  const cut = firstLine.length > EXCERPT_CHARS || firstLine.length < text.length;
  return JSON.stringify(firstLine.slice(0, EXCERPT_CHARS)) + (cut ? '…' : '');
}
