import { ValidationError } from '../../errors';

export interface GrepMatch {
  /** Workspace-relative path. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** 1-based column (UTF-16 code units) of the first match on the line. */
  column: number;
  text: string;
  /** Up to `context` lines before the match, oldest first. */
  before?: string[];
  /** Up to `context` lines after the match. */
  after?: string[];
}

export interface MatcherOptions {
  pattern: string;
  regex: boolean;
  ignoreCase: boolean;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles the search pattern; an invalid regular expression is a validation error on `params.pattern`. */
export function compileMatcher(options: MatcherOptions): RegExp {
  const source = options.regex ? options.pattern : escapeRegExp(options.pattern);
  try {
    return new RegExp(source, options.ignoreCase ? 'i' : '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`invalid regular expression ${JSON.stringify(options.pattern)}: ${reason}`, [{ path: 'params.pattern', message: reason }]);
  }
}

/** A NUL byte in the first 8 KiB is how git and ripgrep tell binary files apart too. */
export function looksBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, 8192);
  for (let i = 0; i < end; i++) if (data[i] === 0) return true;
  return false;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** Every line of `text` that `matcher` matches, at most `limit`, in line order. */
export function scanText(file: string, text: string, matcher: RegExp, context: number, limit: number): GrepMatch[] {
  const matches: GrepMatch[] = [];
  if (limit <= 0) return matches;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const found = matcher.exec(lines[i]);
    if (!found) continue;
    const match: GrepMatch = { file, line: i + 1, column: found.index + 1, text: lines[i] };
    if (context > 0) {
      match.before = lines.slice(Math.max(0, i - context), i);
      match.after = lines.slice(i + 1, i + 1 + context);
    }
    matches.push(match);
    if (matches.length >= limit) break;
  }
  return matches;
}
