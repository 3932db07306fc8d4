/**
 * Statement-level forms of the scanner: import and export declarations, and `import()` and
 * `require()` with a literal.
 */
import type { Scanner } from './scanner';
import { ScanBailout, TOK_EOF, TOK_IDENT, TOK_PUNCT, TOK_STRING, TOK_TEMPLATE } from './tokenizer';
import { skipBalanced } from './type-skip';

function bail(s: Scanner, message: string): never {
  throw new ScanBailout(message, s.tk.start);
}

function readSpecifier(s: Scanner): string {
  if (s.tk.type !== TOK_STRING) bail(s, 'expected a module specifier string');
  return s.tk.stringValue(s.tk.start, s.tk.end);
}

/** Skips `with { type: 'json' }` (or the older `assert {...}`) after a specifier, if present. */
function skipAttributes(s: Scanner): void {
  const next = s.peek();
  if (next.type === TOK_IDENT && (next.value === 'with' || next.value === 'assert') && !next.newlineBefore) {
    s.readPlain();
    s.readPlain();
    if (!s.isPunct('{')) bail(s, 'expected { after import attributes keyword');
    skipBalanced(s);
  }
}

/**
 * `import(...)` or `require(...)`: when the single argument is a literal string, records it.
 * Returns false (consuming nothing) otherwise, so the caller treats the word as an identifier.
 */
export function tryCallImport(s: Scanner, which: 'import' | 'require'): boolean {
  const start = s.tk.start;
  const open = s.peek();
  if (open.type !== TOK_PUNCT || open.value !== '(') return false;
  const state = s.tk.save();
  const saved = { type: s.tk.type, value: s.tk.value, start: s.tk.start, end: s.tk.end, newlineBefore: s.tk.newlineBefore };
  s.readPlain();
  const arg = s.readPlain();
  if (arg === TOK_STRING || arg === TOK_TEMPLATE) {
    const specifier = s.tk.stringValue(s.tk.start, s.tk.end);
    const after = s.peek();
    if (after.type === TOK_PUNCT && (after.value === ')' || after.value === ',')) {
      s.addImport(specifier, which === 'import' ? 'dynamic' : 'require', false, start);
      // Leave the argument list to the main loop, which balances it as a call.
      s.tk.restore(state);
      Object.assign(s.tk, saved);
      s.operandEnd();
      return true;
    }
  }
  s.tk.restore(state);
  Object.assign(s.tk, saved);
  return false;
}

export function handleImportKeyword(s: Scanner): void {
  const start = s.tk.start;
  const next = s.peek();
  if (next.type === TOK_PUNCT && next.value === '(') {
    tryCallImport(s, 'import');
    s.operandEnd();
    return;
  }
  if (next.type === TOK_PUNCT && next.value === '.') {
    // import.meta
    s.operandEnd();
    return;
  }
  const declaration = next.type === TOK_STRING || next.type === TOK_IDENT || (next.type === TOK_PUNCT && (next.value === '{' || next.value === '*'));
  if (!declaration) {
    s.operandEnd();
    return;
  }
  parseImportDeclaration(s, start);
  s.operandExpected = true;
  s.stmtStart = true;
}

function parseImportDeclaration(s: Scanner, start: number): void {
  let type = s.readPlain();
  let typeOnly = false;
  if (s.isTs && type === TOK_IDENT && s.tk.value === 'type') {
    const after = s.peek();
    // `import type from './x'` and `import type, {...}` import a default binding named `type`.
    const named = after.type === TOK_IDENT && after.value !== 'from';
    const clause = after.type === TOK_PUNCT && (after.value === '{' || after.value === '*');
    if (named || clause) {
      typeOnly = true;
      type = s.readPlain();
    }
  }
  if (type === TOK_STRING) {
    s.addImport(readSpecifier(s), 'side-effect', false, start);
    skipAttributes(s);
    return;
  }
  const bindings: string[] = [];
  let anyClause = false;
  if (type === TOK_IDENT) {
    const name = s.tk.value;
    const after = s.peek();
    if (after.type === TOK_PUNCT && after.value === '=') {
      parseImportEquals(s, start, name, typeOnly);
      return;
    }
    anyClause = true;
    bindings.push(name);
    type = s.readPlain();
    if (s.isPunct(',')) type = s.readPlain();
  }
  if (s.isPunct('*')) {
    s.readPlain();
    if (!s.isIdent('as')) bail(s, 'expected "as" after "*"');
    s.readPlain();
    anyClause = true;
    bindings.push(s.tk.value);
    type = s.readPlain();
  } else if (s.isPunct('{')) {
    anyClause = true;
    for (const specifier of readSpecifierList(s)) if (!specifier.typeOnly) bindings.push(specifier.local);
    type = s.readPlain();
  }
  if (!(type === TOK_IDENT && s.tk.value === 'from')) bail(s, 'expected "from" in import declaration');
  s.readPlain();
  const specifier = readSpecifier(s);
  skipAttributes(s);
  const allTypes = typeOnly || (anyClause && bindings.length === 0 && !isEmptyBraces(s, start));
  // TypeScript drops `import {} from` too, so an empty clause binds "nothing used".
  s.addImport(specifier, 'import', allTypes, start, allTypes ? null : bindings);
}

/** Whether the clause was literally `{}`: not type-only, but binds nothing (so it is elided). */
function isEmptyBraces(s: Scanner, start: number): boolean {
  const text = s.tk.src.slice(start, s.tk.start);
  return /\{\s*\}/.test(text) && !/\{\s*[^\s}]/.test(text);
}

function parseImportEquals(s: Scanner, start: number, name: string, typeOnly: boolean): void {
  s.readPlain(); // =
  s.readPlain();
  if (s.isIdent('require') && s.peek().value === '(') {
    s.readPlain();
    s.readPlain();
    const specifier = readSpecifier(s);
    s.readPlain();
    if (!s.isPunct(')')) bail(s, 'expected ) after require specifier');
    s.addImport(specifier, 'import-equals', typeOnly, start, typeOnly ? null : [name]);
    return;
  }
  // `import X = A.B.C`: an alias of an entity; its root is used as a value when the alias is.
  if (s.tk.type !== TOK_IDENT) bail(s, 'expected a name after "import X ="');
  s.markUsed(s.tk.value);
  for (;;) {
    const next = s.peek();
    if (next.type === TOK_PUNCT && next.value === '.') {
      s.readPlain();
      s.readPlain();
    } else break;
  }
}

interface Specifier {
  local: string;
  typeOnly: boolean;
}

/** Reads `{ a, b as c, type d, "e" as f }` with the current token on `{`; stops on the `}`. */
function readSpecifierList(s: Scanner): Specifier[] {
  const out: Specifier[] = [];
  for (;;) {
    let type = s.readPlain();
    if (s.isPunct('}')) return out;
    if (type === TOK_EOF) bail(s, 'unterminated specifier list');
    let typeOnly = false;
    if (s.isTs && type === TOK_IDENT && s.tk.value === 'type') {
      const after = s.peek();
      // `{ type }` and `{ type as x }` name a binding called "type"; `{ type x }` and `{ type as as x }` are type-only.
      const isModifier = (after.type === TOK_IDENT && after.value !== 'as') || after.type === TOK_STRING || (after.type === TOK_IDENT && after.value === 'as' && isTypeAsAs(s));
      if (isModifier) {
        typeOnly = true;
        type = s.readPlain();
      }
    }
    if (type !== TOK_IDENT && type !== TOK_STRING) bail(s, 'expected a name in specifier list');
    let local = type === TOK_STRING ? s.tk.stringValue(s.tk.start, s.tk.end) : s.tk.value;
    type = s.readPlain();
    if (type === TOK_IDENT && s.tk.value === 'as') {
      type = s.readPlain();
      if (type !== TOK_IDENT && type !== TOK_STRING) bail(s, 'expected a name after "as"');
      local = type === TOK_STRING ? s.tk.stringValue(s.tk.start, s.tk.end) : s.tk.value;
      type = s.readPlain();
    }
    out.push({ local, typeOnly });
    if (s.isPunct('}')) return out;
    if (!s.isPunct(',')) bail(s, 'expected , or } in specifier list');
  }
}

/** After `type`, with `as` next: `{ type as as x }` (type-only `as`) versus `{ type as x }`. */
function isTypeAsAs(s: Scanner): boolean {
  const state = s.tk.save();
  const saved = { type: s.tk.type, value: s.tk.value, start: s.tk.start, end: s.tk.end, newlineBefore: s.tk.newlineBefore };
  s.tk.next(false); // as
  s.tk.next(false);
  const second = s.tk.type === TOK_IDENT && s.tk.value === 'as';
  const third = second ? (s.tk.next(false), s.tk.type === TOK_IDENT) : false;
  s.tk.restore(state);
  Object.assign(s.tk, saved);
  return third;
}

export function handleExport(s: Scanner): void {
  const start = s.tk.start;
  const next = s.peek();
  if (next.type === TOK_PUNCT && (next.value === '*' || next.value === '{')) {
    s.readPlain();
    parseExportFrom(s, start, false);
    return;
  }
  if (s.isTs && next.type === TOK_IDENT && next.value === 'type') {
    const state = s.tk.save();
    const saved = { type: s.tk.type, value: s.tk.value, start: s.tk.start, end: s.tk.end, newlineBefore: s.tk.newlineBefore };
    s.readPlain();
    const after = s.peek();
    if (after.type === TOK_PUNCT && (after.value === '*' || after.value === '{')) {
      s.readPlain();
      parseExportFrom(s, start, true);
      return;
    }
    s.tk.restore(state);
    Object.assign(s.tk, saved);
  }
  if (s.isTs && next.type === TOK_IDENT && next.value === 'as') {
    // `export as namespace X;` declares a UMD global: types only.
    s.readPlain();
    s.readPlain();
    s.readPlain();
    s.operandExpected = true;
    s.stmtStart = true;
    return;
  }
  if (next.type === TOK_IDENT && next.value === 'default') {
    s.readPlain();
    s.operandExpected = true;
    // `export default interface X {}` / `export default abstract class` read as statements.
    const after = s.peek();
    s.stmtStart = after.type === TOK_IDENT && (after.value === 'interface' || after.value === 'abstract' || after.value === 'class' || after.value === 'function' || after.value === 'async' || after.value === 'enum');
    return;
  }
  // `export const`, `export function`, `export = x`, `export import A = B.C`, `export declare ...`:
  // the rest is an ordinary statement.
  s.operandExpected = true;
  s.stmtStart = true;
}

/** With the current token on `*` or `{` after `export` (or `export type`). */
function parseExportFrom(s: Scanner, start: number, typeOnly: boolean): void {
  if (s.isPunct('*')) {
    let type = s.readPlain();
    let named = false;
    if (type === TOK_IDENT && s.tk.value === 'as') {
      s.readPlain();
      named = true;
      type = s.readPlain();
    }
    if (!(type === TOK_IDENT && s.tk.value === 'from')) bail(s, 'expected "from" after export *');
    s.readPlain();
    const specifier = readSpecifier(s);
    skipAttributes(s);
    s.addImport(specifier, named ? 're-export' : 'export-star', typeOnly, start);
    s.operandExpected = true;
    s.stmtStart = true;
    return;
  }
  const specifiers = readSpecifierList(s);
  const after = s.peek();
  if (after.type === TOK_IDENT && after.value === 'from') {
    s.readPlain();
    s.readPlain();
    const specifier = readSpecifier(s);
    skipAttributes(s);
    const allTypes = typeOnly || specifiers.length === 0 || specifiers.every((sp) => sp.typeOnly);
    s.addImport(specifier, 're-export', allTypes, start);
  } else if (!typeOnly) {
    // `export { a, b as c }` of local names: exporting an imported binding keeps its import.
    for (const specifier of specifiers) if (!specifier.typeOnly) s.markUsed(specifier.local);
  }
  s.operandExpected = true;
  s.stmtStart = true;
}
