/**
 * Skips TypeScript types. Identifiers inside a type are type references, so the scanner never
 * counts them as value uses; an `import('./x')` inside a type is recorded as a type-only import.
 *
 * Convention: the functions here work on "the current token is the next unprocessed one"; the
 * public entry points end with `haveToken = true`, so the scanner's main loop processes the first
 * token after the type.
 */
import type { Scanner } from './scanner';
import { ScanBailout, TOK_EOF, TOK_IDENT, TOK_NUMBER, TOK_PUNCT, TOK_STRING, TOK_TEMPLATE, TOK_TEMPLATE_HEAD, TOK_TEMPLATE_MIDDLE, TOK_TEMPLATE_TAIL } from './tokenizer';

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** Prefix words of types: `keyof T`, `readonly T[]`, `unique symbol`, `asserts x is T`, `infer U`, `new () => T`. */
const TYPE_PREFIXES = new Set(['keyof', 'unique', 'readonly', 'asserts', 'infer', 'new', 'abstract']);
/** Punctuators that never occur in a type argument list, so their presence means `<` was a comparison. */
const NOT_IN_TYPE_ARGUMENTS = new Set([
  '&&', '||', '??', '??=', '==', '===', '!=', '!==', '<=', '<<', '<<=', '+=', '-=', '*=', '/=', '%=', '**', '**=', '&=', '|=', '^', '^=', '&&=', '||=', '++', '--', '*', '/', '%', '!', '~', '@',
]);
/** Outside braces these cannot be part of type arguments either (inside, mapped types use `+`/`-` and members end with `;`). */
const ONLY_INSIDE_BRACES = new Set(['+', '-', ';', '=']);
/** Speculative type-argument scans give up after this many tokens. */
const SPECULATION_BUDGET = 2000;

function bail(s: Scanner, message: string): never {
  throw new ScanBailout(message, s.tk.start);
}

/** With the current token just before a type (`:`, `as`, `=`), skips the type. */
export function skipType(s: Scanner): void {
  s.readPlain();
  typeExpression(s, true);
  s.haveToken = true;
  s.setPrev(TOK_IDENT, '');
}

/** With the current token on `implements` (or `extends` of an interface): skips `A<T>, B.C`. */
export function skipTypeList(s: Scanner): void {
  for (;;) {
    s.readPlain();
    typeExpression(s, false);
    if (!s.isPunct(',')) break;
  }
  s.haveToken = true;
  s.setPrev(TOK_IDENT, '');
}

function typeExpression(s: Scanner, allowConditional: boolean): void {
  for (;;) {
    while (s.isPunct('|') || s.isPunct('&')) s.readPlain();
    if (!typeOperand(s)) return;
    if (allowConditional && s.isIdent('extends') && !s.tk.newlineBefore) {
      s.readPlain();
      typeExpression(s, false);
      if (s.isPunct('?')) {
        s.readPlain();
        typeExpression(s, true);
        if (s.isPunct(':')) {
          s.readPlain();
          typeExpression(s, true);
        }
      }
      return;
    }
    if (s.isPunct('|') || s.isPunct('&')) {
      s.readPlain();
      continue;
    }
    return;
  }
}

function startsType(type: number, value: string): boolean {
  if (type === TOK_IDENT || type === TOK_STRING || type === TOK_NUMBER || type === TOK_TEMPLATE || type === TOK_TEMPLATE_HEAD) return true;
  return type === TOK_PUNCT && (value === '(' || value === '[' || value === '{' || value === '<' || value === '-' || value === '+');
}

/** One operand of a union/intersection; false when the current token cannot start a type. */
function typeOperand(s: Scanner): boolean {
  for (;;) {
    if (s.tk.type === TOK_IDENT && TYPE_PREFIXES.has(s.tk.value)) {
      const next = s.peek();
      if (startsType(next.type, next.value) && !next.newlineBefore) {
        s.readPlain();
        continue;
      }
    }
    if (s.tk.type === TOK_IDENT && s.tk.value === 'typeof') {
      s.readPlain();
      if (s.isIdent('import')) typeImport(s);
      else entityName(s);
      postfix(s);
      return true;
    }
    if (s.isPunct('-') || s.isPunct('+')) {
      s.readPlain();
      continue;
    }
    break;
  }
  const type = s.tk.type;
  if (type === TOK_IDENT) {
    if (s.tk.value === 'import' && s.peek().value === '(') typeImport(s);
    else {
      entityName(s);
      if (s.isIdent('is') && !s.tk.newlineBefore) {
        s.readPlain();
        typeExpression(s, true);
        return true;
      }
    }
  } else if (type === TOK_STRING || type === TOK_NUMBER || type === TOK_TEMPLATE) {
    s.readPlain();
  } else if (type === TOK_TEMPLATE_HEAD) {
    skipTemplate(s);
  } else if (type === TOK_PUNCT) {
    const v = s.tk.value;
    if (v === '(') {
      skipBalanced(s);
      s.readPlain();
      if (s.isPunct('=>')) {
        s.readPlain();
        typeExpression(s, true);
        return true;
      }
    } else if (v === '<') {
      skipAngle(s, false);
      s.haveToken = false;
      if (s.isPunct('(')) {
        skipBalanced(s);
        s.readPlain();
      }
      if (s.isPunct('=>')) {
        s.readPlain();
        typeExpression(s, true);
      }
      return true;
    } else if (v === '[' || v === '{') {
      skipBalanced(s);
      s.readPlain();
    } else return false;
  } else return false;
  postfix(s);
  return true;
}

/** `T[]`, `T[K]`, on the same line. */
function postfix(s: Scanner): void {
  while (s.isPunct('[') && !s.tk.newlineBefore) {
    skipBalanced(s);
    s.readPlain();
  }
}

/** `A.B.C<T>` with the current token on `A`. */
function entityName(s: Scanner): void {
  s.readPlain();
  while (s.isPunct('.')) {
    s.readPlain();
    s.readPlain();
  }
  if (s.isPunct('<') && !s.tk.newlineBefore) {
    skipAngle(s, false);
    s.haveToken = false;
  }
}

/** `import('./x').A<T>` in a type: a type-only import. */
function typeImport(s: Scanner): void {
  const start = s.tk.start;
  s.readPlain();
  if (!s.isPunct('(')) bail(s, 'expected ( after import in a type');
  if (s.readPlain() === TOK_STRING) s.addImport(s.tk.stringValue(s.tk.start, s.tk.end), 'type-import', true, start);
  // The rest of the argument list (attributes) up to the closing parenthesis.
  let depth = 1;
  if (s.isPunct(')')) depth = 0;
  while (depth > 0) {
    const t = s.readPlain();
    if (t === TOK_EOF) bail(s, 'unterminated import type');
    if (s.isPunct('(') || s.isPunct('{') || s.isPunct('[')) depth++;
    else if (s.isPunct(')') || s.isPunct('}') || s.isPunct(']')) depth--;
  }
  s.readPlain();
  while (s.isPunct('.')) {
    s.readPlain();
    s.readPlain();
  }
  if (s.isPunct('<') && !s.tk.newlineBefore) {
    skipAngle(s, false);
    s.haveToken = false;
  }
}

/** With the current token on a template head, skips to the token after its tail. */
function skipTemplate(s: Scanner): void {
  let open = 1;
  while (open > 0) {
    const t = s.readPlain();
    if (t === TOK_EOF) bail(s, 'unterminated template type');
    if (t === TOK_TEMPLATE_HEAD) open++;
    else if (t === TOK_TEMPLATE_TAIL) open--;
  }
  s.readPlain();
}

/**
 * With the current token on `(`, `[` or `{`, skips to its matching closer (which becomes the
 * current token). Everything inside is taken as types.
 */
export function skipBalanced(s: Scanner): void {
  const stack: string[] = [CLOSERS[s.tk.value]];
  let importState = 0;
  let importStart = 0;
  while (stack.length > 0) {
    const t = s.readPlain();
    if (t === TOK_EOF) bail(s, 'unclosed bracket');
    if (t === TOK_PUNCT) {
      const v = s.tk.value;
      const closer = CLOSERS[v];
      if (closer !== undefined) {
        stack.push(closer);
        importState = importState === 1 && v === '(' ? 2 : 0;
        continue;
      }
      if (v === ')' || v === ']' || v === '}') {
        if (stack.pop() !== v) bail(s, `unbalanced ${v}`);
      }
      importState = 0;
    } else if (t === TOK_TEMPLATE_HEAD) {
      stack.push('`');
    } else if (t === TOK_TEMPLATE_TAIL) {
      if (stack.pop() !== '`') bail(s, 'unbalanced template');
    } else if (t === TOK_TEMPLATE_MIDDLE) {
      if (stack[stack.length - 1] !== '`') bail(s, 'unbalanced template');
    } else if (t === TOK_IDENT && s.tk.value === 'import') {
      importState = 1;
      importStart = s.tk.start;
      continue;
    } else if (t === TOK_STRING && importState === 2) {
      s.addImport(s.tk.stringValue(s.tk.start, s.tk.end), 'type-import', true, importStart);
    }
    importState = 0;
  }
}

/**
 * With the current token on `<`, skips a type argument or type parameter list to its `>`; the token
 * after it becomes the current one. Speculative scans (is `a < b` a comparison or `f<T>(x)`?) return
 * false at the first token a type cannot hold, leaving the caller to rewind.
 */
export function skipAngle(s: Scanner, speculative: boolean): boolean {
  const stack: string[] = ['>'];
  let braces = 0;
  let budget = SPECULATION_BUDGET;
  let importState = 0;
  let importStart = 0;
  const fail = (message: string): false => {
    if (speculative) return false;
    bail(s, message);
  };
  let prevWasName = false;
  while (stack.length > 0) {
    if (speculative && --budget < 0) return false;
    prevWasName = s.tk.type === TOK_IDENT;
    const t = s.readPlain();
    if (t === TOK_EOF) return fail('unclosed type argument list');
    if (t === TOK_PUNCT) {
      const v = s.tk.value;
      if (v === '<') stack.push('>');
      else if (v === '<<') stack.push('>', '>');
      else if (v === '>' || v === ')' || v === ']' || v === '}') {
        if (stack.pop() !== v) return fail(`unbalanced ${v}`);
        if (v === '}') braces--;
      } else if (CLOSERS[v] !== undefined) {
        stack.push(CLOSERS[v]);
        if (v === '{') braces++;
        if (importState === 1 && v === '(') {
          importState = 2;
          continue;
        }
      } else if (speculative && (NOT_IN_TYPE_ARGUMENTS.has(v) || (braces === 0 && ONLY_INSIDE_BRACES.has(v)))) {
        // Allowed anyway: a negative literal type (`-1`) and a type parameter default (`<T = U>`;
        // `a < b = c` is no valid expression).
        const negativeLiteral = v === '-' && s.peek().type === TOK_NUMBER;
        const parameterDefault = v === '=' && stack.length === 1 && prevWasName;
        if (!negativeLiteral && !parameterDefault) return false;
      }
    } else if (t === TOK_TEMPLATE_HEAD) {
      stack.push('`');
    } else if (t === TOK_TEMPLATE_TAIL) {
      if (stack.pop() !== '`') return fail('unbalanced template');
    } else if (t === TOK_IDENT && s.tk.value === 'import') {
      importState = 1;
      importStart = s.tk.start;
      continue;
    } else if (t === TOK_STRING && importState === 2) {
      s.addImport(s.tk.stringValue(s.tk.start, s.tk.end), 'type-import', true, importStart);
    }
    importState = 0;
  }
  s.readPlain();
  s.haveToken = true;
  s.setPrev(TOK_PUNCT, '>');
  return true;
}
