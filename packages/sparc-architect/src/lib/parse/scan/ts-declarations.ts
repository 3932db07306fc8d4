/**
 * TypeScript declarations that hold only types (`type`, `interface`, `declare`), skipped whole,
 * and `enum` heads, whose member names are not references.
 */
import type { Scanner } from './scanner';
import { ScanBailout, TOK_EOF, TOK_IDENT, TOK_PUNCT, TOK_STRING } from './tokenizer';
import { skipAngle, skipBalanced, skipType } from './type-skip';

function bail(s: Scanner, message: string): never {
  throw new ScanBailout(message, s.tk.start);
}

/** `type X<T> = ...`: skips the whole alias. False when `type` is just an identifier here. */
export function handleTypeAlias(s: Scanner): boolean {
  const name = s.peek();
  if (name.type !== TOK_IDENT || name.newlineBefore) return false;
  const state = s.tk.save();
  const saved = { type: s.tk.type, value: s.tk.value, start: s.tk.start, end: s.tk.end, newlineBefore: s.tk.newlineBefore };
  s.readPlain();
  const after = s.peek();
  if (!(after.type === TOK_PUNCT && (after.value === '=' || after.value === '<'))) {
    s.tk.restore(state);
    Object.assign(s.tk, saved);
    return false;
  }
  s.readPlain();
  if (s.isPunct('<')) {
    skipAngle(s, false);
    s.haveToken = false;
    if (!s.isPunct('=')) bail(s, 'expected = in type alias');
  }
  skipType(s);
  endTypeDeclaration(s);
  return true;
}

/** After skipping a type-only declaration, the next token starts a statement. */
function endTypeDeclaration(s: Scanner): void {
  s.operandExpected = true;
  s.stmtStart = true;
  s.setPrev(TOK_PUNCT, ';');
}

/** `interface X<T> extends A, B { ... }`: skipped to its closing brace. */
export function handleInterface(s: Scanner): boolean {
  const name = s.peek();
  if (name.type !== TOK_IDENT || name.newlineBefore) return false;
  for (;;) {
    const type = s.readPlain();
    if (type === TOK_EOF) bail(s, 'unterminated interface');
    if (s.isPunct('<')) {
      skipAngle(s, false);
      s.haveToken = false;
      if (s.isPunct('{')) break;
      continue;
    }
    if (s.isPunct('{')) break;
  }
  skipBalanced(s);
  endTypeDeclaration(s);
  return true;
}

const DECLARE_TARGETS = new Set(['const', 'let', 'var', 'function', 'class', 'module', 'namespace', 'global', 'enum', 'type', 'interface', 'abstract', 'async', 'export', 'import']);

/** `declare ...`: ambient declarations have no run-time code; skipped to their end. */
export function handleDeclare(s: Scanner): boolean {
  const next = s.peek();
  if (next.type !== TOK_IDENT || next.newlineBefore || !DECLARE_TARGETS.has(next.value)) return false;
  let depth = 0;
  let sawBlock = false;
  for (;;) {
    const type = s.readPlain();
    if (type === TOK_EOF) break;
    if (type === TOK_PUNCT) {
      const v = s.tk.value;
      if (v === '{' || v === '(' || v === '[') {
        depth++;
        if (v === '{' && depth === 1) sawBlock = true;
      } else if (v === '}' || v === ')' || v === ']') {
        depth--;
        if (depth < 0) bail(s, 'unbalanced bracket in declare');
        if (depth === 0 && sawBlock && v === '}') {
          const after = s.peek();
          // `declare module 'x' { ... }` ends at its brace; `declare const x: { a: T }` may go on.
          if (!(after.type === TOK_PUNCT && (after.value === '|' || after.value === '&' || after.value === '[' || after.value === '=' || after.value === ';'))) break;
        }
      } else if (v === ';' && depth === 0) break;
    } else if (depth === 0 && s.tk.newlineBefore && type === TOK_IDENT && sawStatementEnd(s)) {
      // A new statement on the next line (no semicolon).
      s.haveToken = true;
      endTypeDeclaration(s);
      return true;
    }
    if (type === TOK_IDENT && s.tk.value === 'import' && s.peek().value === '(') {
      const start = s.tk.start;
      s.readPlain();
      depth++;
      if (s.readPlain() === TOK_STRING) s.addImport(s.tk.stringValue(s.tk.start, s.tk.end), 'type-import', true, start);
      else if (s.isPunct(')')) depth--;
    }
  }
  endTypeDeclaration(s);
  return true;
}

/** A line break before a word ends an ambient declaration unless the previous line clearly continues. */
function sawStatementEnd(s: Scanner): boolean {
  const src = s.tk.src;
  let i = s.tk.start - 1;
  // Walk back over whitespace and line comments' ends to the last significant character.
  while (i >= 0) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i--;
    else break;
  }
  const last = src[i];
  return !(last === ',' || last === '|' || last === '&' || last === '=' || last === ':' || last === '(' || last === '<' || last === '.' || last === '?');
}

/** `enum E {` or `const enum E {`: the body's member names are not references. */
export function handleEnumKeyword(s: Scanner): boolean {
  const name = s.peek();
  if (name.type !== TOK_IDENT) return false;
  s.readPlain();
  s.pendingEnum = s.depth;
  s.operandExpected = false;
  s.stmtStart = false;
  return true;
}
