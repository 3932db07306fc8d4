/**
 * What `:`, `{`, `}` and `<` mean where they stand: a type annotation or a value, a block or an
 * object literal, type arguments or a comparison, JSX or a type assertion.
 */
import { jsxContinue, looksLikeTypeParameters, startJsx } from './jsx';
import type { Scanner } from './scanner';
import { ScanBailout, TOK_EOF, TOK_IDENT, TOK_PUNCT, TOK_TEMPLATE, TOK_TEMPLATE_HEAD, TOK_TEMPLATE_MIDDLE } from './tokenizer';
import { skipAngle, skipType } from './type-skip';
import { COND_KEYWORDS, CTX_BLOCK, CTX_BRACKET, CTX_CLASS, CTX_COND, CTX_ENUM, CTX_JSX_EXPR, CTX_OBJECT, CTX_PAREN, CTX_TOP, DECLARING_KEYWORDS, OPERAND_KEYWORDS } from './words';

/** A punctuator in expression or statement position. */
export function onPunct(s: Scanner, value: string, prevCloseParen: boolean): void {
  const top = s.depth;
  switch (value) {
    case '{':
      openBrace(s);
      return;
    case '}':
      closeBrace(s);
      return;
    case '(': {
      const cond = s.prevType === TOK_IDENT && COND_KEYWORDS.has(s.prevValue);
      s.push(cond ? CTX_COND : CTX_PAREN);
      s.operandExpected = true;
      s.stmtStart = false;
      return;
    }
    case ')': {
      const kind = s.pop();
      if (kind !== CTX_PAREN && kind !== CTX_COND) throw new ScanBailout('unbalanced )', s.tk.start);
      s.prevCloseParen = true;
      if (kind === CTX_COND) {
        s.operandExpected = true;
        s.stmtStart = true;
      } else s.operandEnd();
      return;
    }
    case '[':
      s.push(CTX_BRACKET);
      s.operandExpected = true;
      s.stmtStart = false;
      return;
    case ']':
      if (s.pop() !== CTX_BRACKET) throw new ScanBailout('unbalanced ]', s.tk.start);
      s.operandEnd();
      return;
    case ':':
      onColon(s, prevCloseParen);
      return;
    case '?': {
      const next = s.peekChar();
      // `a?: T`, `(a?)`, `(a?, b)`: an optional marker, not a conditional.
      if (next !== 58 && next !== 41 && next !== 44) s.ternary[top]++;
      s.operandExpected = true;
      s.stmtStart = false;
      return;
    }
    case ';':
      s.varDecl[top] = false;
      s.classInit[top] = false;
      s.ternary[top] = 0;
      s.operandExpected = true;
      s.stmtStart = true;
      return;
    case ',':
      s.ternary[top] = 0;
      s.operandExpected = true;
      s.stmtStart = false;
      return;
    case '=':
      if (s.ctx === CTX_CLASS) s.classInit[top] = true;
      s.operandExpected = true;
      s.stmtStart = false;
      return;
    case '<':
      onLessThan(s);
      return;
    case '!':
    case '++':
    case '--':
      // Postfix (`x!`, `x++`) keeps the operand; prefix expects one.
      if (s.operandExpected) s.stmtStart = false;
      return;
    default:
      s.operandExpected = true;
      s.stmtStart = false;
  }
}

export function onColon(s: Scanner, prevCloseParen: boolean): void {
  const top = s.depth;
  const ctx = s.ctx;
  s.lastColonStatement = false;
  s.operandExpected = true;
  s.stmtStart = false;
  if (s.ternary[top] > 0) {
    s.ternary[top]--;
    return;
  }
  if (s.cases[top] > 0) {
    s.cases[top]--;
    s.lastColonStatement = true;
    s.stmtStart = true;
    return;
  }
  if (!s.isTs) {
    if (ctx === CTX_BLOCK || ctx === CTX_TOP) {
      s.lastColonStatement = true;
      s.stmtStart = true;
    }
    return;
  }
  const annotation =
    prevCloseParen ||
    ctx === CTX_PAREN ||
    ctx === CTX_COND ||
    ctx === CTX_BRACKET ||
    ctx === CTX_CLASS ||
    ((ctx === CTX_BLOCK || ctx === CTX_TOP) && s.varDecl[top]);
  if (annotation) {
    skipType(s);
    return;
  }
  if (ctx === CTX_BLOCK || ctx === CTX_TOP) {
    // A label.
    s.lastColonStatement = true;
    s.stmtStart = true;
  }
}

/** Whether the tracked identifier just read refers to a binding (not a key, member name or declaration). */
export function isReference(s: Scanner): boolean {
  const prevPunct = s.prevType === TOK_PUNCT ? s.prevValue : '';
  if (s.prevType === TOK_IDENT && DECLARING_KEYWORDS.has(s.prevValue)) return false;
  const ctx = s.ctx;
  if (ctx === CTX_CLASS) return s.classInit[s.depth] || prevPunct === '@';
  if (ctx === CTX_OBJECT || ctx === CTX_ENUM) {
    const atKey = prevPunct === '{' || prevPunct === ',' || (s.prevType === TOK_IDENT && (s.prevValue === 'get' || s.prevValue === 'set' || s.prevValue === 'async')) || prevPunct === '*';
    if (atKey) {
      const next = s.peek();
      if (next.type === TOK_PUNCT && (next.value === ':' || next.value === '(' || next.value === '<')) return false;
      if (ctx === CTX_ENUM && next.type === TOK_PUNCT && (next.value === '=' || next.value === ',' || next.value === '}')) return false;
    }
  }
  return true;
}

export function openBrace(s: Scanner): void {
  const depth = s.depth;
  let kind: number;
  let classDecl = false;
  if (s.pendingClass === depth) {
    kind = CTX_CLASS;
    classDecl = s.pendingClassDecl;
    s.pendingClass = -1;
  } else if (s.pendingEnum === depth) {
    kind = CTX_ENUM;
    s.pendingEnum = -1;
  } else kind = braceKind(s);
  s.push(kind, classDecl);
  s.operandExpected = kind !== CTX_CLASS && kind !== CTX_ENUM;
  s.stmtStart = kind === CTX_BLOCK;
}

/** Whether a `{` opens a block or an object literal, from the token before it. */
export function braceKind(s: Scanner): number {
  if (s.prevType === TOK_EOF) return CTX_BLOCK;
  if (s.prevType === TOK_PUNCT) {
    const p = s.prevValue;
    if (p === ')' || p === '=>' || p === ';' || p === '{' || p === '}') return CTX_BLOCK;
    if (p === ':') return s.lastColonStatement ? CTX_BLOCK : CTX_OBJECT;
    return CTX_OBJECT;
  }
  if (s.prevType === TOK_IDENT) {
    if (OPERAND_KEYWORDS.has(s.prevValue) && s.prevValue !== 'do' && s.prevValue !== 'else') return CTX_OBJECT;
    return CTX_BLOCK;
  }
  if (s.prevType === TOK_TEMPLATE_HEAD || s.prevType === TOK_TEMPLATE_MIDDLE) return CTX_OBJECT;
  return s.operandExpected ? CTX_OBJECT : CTX_BLOCK;
}

/** Whether the next non-space character is `code`. */
export function nextCharIs(s: Scanner, code: number): boolean {
  return s.peekChar() === code;
}

export function closeBrace(s: Scanner): void {
  const kind = s.pop();
  switch (kind) {
    case CTX_BLOCK:
    case CTX_ENUM:
      s.operandExpected = true;
      s.stmtStart = true;
      // A method body ends a class member (and any initialiser before it).
      if (s.ctx === CTX_CLASS) s.classInit[s.depth] = false;
      return;
    case CTX_CLASS:
      if (s.pendingClassDecl) {
        s.operandExpected = true;
        s.stmtStart = true;
      } else s.operandEnd();
      return;
    case CTX_OBJECT:
      s.operandEnd();
      return;
    case CTX_JSX_EXPR:
      if (jsxContinue(s)) s.operandEnd();
      return;
    default:
      throw new ScanBailout('unbalanced }', s.tk.start);
  }

}

export function onLessThan(s: Scanner): void {
  if (s.operandExpected) {
    if (s.jsx && !(s.isTs && looksLikeTypeParameters(s))) {
      startJsx(s);
      return;
    }
    if (!s.isTs) throw new ScanBailout('unexpected <', s.tk.start);
    // A type assertion `<T>x` or the type parameters of a generic arrow function.
    skipAngle(s, false);
    s.operandExpected = true;
    s.stmtStart = false;
    return;
  }
  const afterName = s.prevType === TOK_IDENT || (s.prevType === TOK_PUNCT && (s.prevValue === ')' || s.prevValue === ']'));
  if (s.isTs && afterName) {
    const inClassHead = s.pendingClass === s.depth;
    const state = s.tk.save();
    const snapshot = { type: s.tk.type, value: s.tk.value, start: s.tk.start, end: s.tk.end, newlineBefore: s.tk.newlineBefore };
    const importsBefore = s.imports.length;
    if (inClassHead) {
      skipAngle(s, false);
      return;
    }
    if (skipAngle(s, true)) {
      // Type arguments only when a call, a tagged template or a class body follows, as TypeScript decides.
      const t = s.tk.type;
      if ((t === TOK_PUNCT && (s.tk.value === '(' || s.tk.value === '{')) || t === TOK_TEMPLATE || t === TOK_TEMPLATE_HEAD || (t === TOK_IDENT && (s.tk.value === 'extends' || s.tk.value === 'implements'))) {
        s.operandEnd();
        return;
      }
    }
    s.imports.length = importsBefore;
    s.prevLocked = false;
    s.tk.restore(state);
    Object.assign(s.tk, snapshot);
    s.haveToken = false;
  }
  s.operandExpected = true;
  s.stmtStart = false;
}
