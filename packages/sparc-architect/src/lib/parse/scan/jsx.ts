/**
 * JSX, read character by character (its text may hold quotes and slashes that mean nothing).
 * A capitalised or dotted element name (`<Button>`, `<ui.Card>`) uses the binding as a value;
 * `{...}` containers go back to the scanner's main loop as expressions.
 */
import { CTX_JSX_EXPR, type Scanner } from './scanner';
import { ScanBailout, TOK_IDENT, TOK_PUNCT } from './tokenizer';

const OPEN = 0;
const ATTRS = 1;
const CHILDREN = 2;

const CH_LT = 60;
const CH_GT = 62;
const CH_SLASH = 47;
const CH_LBRACE = 123;
const CH_EQ = 61;
const CH_DQUOTE = 34;
const CH_SQUOTE = 39;
const CH_STAR = 42;

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95 || c === 45 || c === 46 || c === 58 || c >= 0x80;
}

function skipSpaceAndComments(s: Scanner, pos: number): number {
  const src = s.tk.src;
  for (;;) {
    const c = src.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
    else if (c === CH_SLASH && src.charCodeAt(pos + 1) === CH_SLASH) {
      const eol = src.indexOf('\n', pos);
      pos = eol < 0 ? src.length : eol + 1;
    } else if (c === CH_SLASH && src.charCodeAt(pos + 1) === CH_STAR) {
      const close = src.indexOf('*/', pos + 2);
      if (close < 0) throw new ScanBailout('unterminated comment in JSX', pos);
      pos = close + 2;
    } else return pos;
  }
}

/** With the current token on a `<` where an operand is expected. */
export function startJsx(s: Scanner): void {
  // With the classic runtime (TypeScript's `jsx: react` and `preserve`), JSX uses `React` in scope.
  s.markUsed('React');
  s.jsxBases.push(s.jsxStack.length);
  s.jsxStack.push(OPEN);
  if (jsxContinue(s)) s.operandEnd();
}

/** Enters a `{...}` container: the main loop reads the expression until the matching `}`. */
function enterExpression(s: Scanner, pos: number): false {
  s.tk.pos = pos + 1;
  s.tk.braceDepth++;
  s.push(CTX_JSX_EXPR);
  s.operandExpected = true;
  s.stmtStart = false;
  s.haveToken = false;
  s.setPrev(TOK_PUNCT, '{');
  return false;
}

/**
 * Reads JSX from the tokenizer's position. Returns true when the outermost element of the current
 * JSX expression has closed, false when it stopped at a `{` container.
 */
export function jsxContinue(s: Scanner): boolean {
  const src = s.tk.src;
  const stack = s.jsxStack;
  let pos = s.tk.pos;
  for (;;) {
    if (pos >= src.length) throw new ScanBailout('unterminated JSX', pos);
    const state = stack[stack.length - 1];
    if (state === OPEN) {
      pos = skipSpaceAndComments(s, pos);
      if (src.charCodeAt(pos) === CH_GT) {
        // A fragment: <>...</>
        pos++;
        stack[stack.length - 1] = CHILDREN;
        continue;
      }
      const nameStart = pos;
      while (isNameChar(src.charCodeAt(pos))) pos++;
      if (pos === nameStart) throw new ScanBailout('expected a JSX element name', pos);
      const name = src.slice(nameStart, pos);
      const first = /^[^.:]+/.exec(name)?.[0] ?? name;
      if (name.includes('.') || /^[A-Z_$]/.test(first)) s.markUsed(first);
      stack[stack.length - 1] = ATTRS;
      continue;
    }
    if (state === ATTRS) {
      pos = skipSpaceAndComments(s, pos);
      const c = src.charCodeAt(pos);
      if (c === CH_SLASH && src.charCodeAt(pos + 1) === CH_GT) {
        pos += 2;
        if (closeElement(s)) return finish(s, pos);
        continue;
      }
      if (c === CH_GT) {
        pos++;
        stack[stack.length - 1] = CHILDREN;
        continue;
      }
      if (c === CH_LBRACE) return enterExpression(s, pos);
      if (c === CH_LT) throw new ScanBailout('type arguments on a JSX element are not supported', pos);
      const attrStart = pos;
      while (isNameChar(src.charCodeAt(pos))) pos++;
      if (pos === attrStart) throw new ScanBailout(`unexpected ${JSON.stringify(src[pos])} in a JSX tag`, pos);
      pos = skipSpaceAndComments(s, pos);
      if (src.charCodeAt(pos) !== CH_EQ) continue;
      pos = skipSpaceAndComments(s, pos + 1);
      const q = src.charCodeAt(pos);
      if (q === CH_DQUOTE || q === CH_SQUOTE) {
        const close = src.indexOf(String.fromCharCode(q), pos + 1);
        if (close < 0) throw new ScanBailout('unterminated JSX attribute', pos);
        pos = close + 1;
        continue;
      }
      if (q === CH_LBRACE) return enterExpression(s, pos);
      if (q === CH_LT) {
        pos++;
        stack.push(OPEN);
        continue;
      }
      throw new ScanBailout('unexpected JSX attribute value', pos);
    }
    // CHILDREN: text up to the next tag or container.
    let i = pos;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === CH_LT || c === CH_LBRACE) break;
      i++;
    }
    if (i >= src.length) throw new ScanBailout('unterminated JSX children', pos);
    if (src.charCodeAt(i) === CH_LBRACE) return enterExpression(s, i);
    let j = skipSpaceAndComments(s, i + 1);
    if (src.charCodeAt(j) === CH_SLASH) {
      const close = src.indexOf('>', j);
      if (close < 0) throw new ScanBailout('unterminated JSX closing tag', j);
      j = close + 1;
      if (closeElement(s)) return finish(s, j);
      pos = j;
      continue;
    }
    stack.push(OPEN);
    pos = i + 1;
  }
}

/** Pops the current element; true when that closed the outermost element of this JSX expression. */
function closeElement(s: Scanner): boolean {
  s.jsxStack.pop();
  if (s.jsxStack.length === s.jsxBases[s.jsxBases.length - 1]) {
    s.jsxBases.pop();
    return true;
  }
  return false;
}

function finish(s: Scanner, pos: number): true {
  s.tk.pos = pos;
  s.haveToken = false;
  s.setPrev(TOK_IDENT, '');
  return true;
}

/** Read through a function so TypeScript does not narrow the token value across tokenizer calls. */
function punctValue(s: Scanner): string {
  return s.tk.value;
}

/** In .tsx, `<T,>(x) => x` and `<T extends U>(x) => x` are type parameters, not JSX. */
export function looksLikeTypeParameters(s: Scanner): boolean {
  const state = s.tk.save();
  const saved = { type: s.tk.type, value: s.tk.value, start: s.tk.start, end: s.tk.end, newlineBefore: s.tk.newlineBefore };
  let result = false;
  try {
    let type = s.tk.next(false);
    if (type === TOK_IDENT && s.tk.value === 'const') type = s.tk.next(false);
    if (type === TOK_IDENT) {
      type = s.tk.next(false);
      if (type === TOK_PUNCT && (s.tk.value === ',' || s.tk.value === '=')) result = true;
      else if (type === TOK_IDENT && s.tk.value === 'extends') {
        type = s.tk.next(false);
        result = !(type === TOK_PUNCT && punctValue(s) === '=');
      }
    }
  } catch {
    result = false;
  }
  s.tk.restore(state);
  Object.assign(s.tk, saved);
  return result;
}
