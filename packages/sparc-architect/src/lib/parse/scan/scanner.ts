import { FLAG_ELIDED, FLAG_TYPE_ONLY, kindIndex, type ImportKind, type PackedImport, type SourceLang } from '../types';
import { handleExport, handleImportKeyword, tryCallImport } from './declarations';
import { handleDeclare, handleEnumKeyword, handleInterface, handleTypeAlias } from './ts-declarations';
import { isReference, nextCharIs, onPunct } from './punctuation';
import { ScanBailout, TOK_EOF, TOK_IDENT, TOK_NUMBER, TOK_PRIVATE, TOK_PUNCT, TOK_REGEX, TOK_STRING, TOK_TEMPLATE, TOK_TEMPLATE_HEAD, TOK_TEMPLATE_MIDDLE, TOK_TEMPLATE_TAIL, Tokenizer } from './tokenizer';
import { skipType, skipTypeList } from './type-skip';
import {
  CONTEXTUAL_OPERATORS,
  CTX_BLOCK,
  CTX_CLASS,
  CTX_TEMPLATE,
  CTX_TOP,
  W_CASE,
  W_CLASS,
  W_DECLARATION,
  W_DEFAULT,
  W_EXPORT,
  W_IMPORT,
  W_OPERAND,
  W_REQUIRE,
  W_TS_ABSTRACT,
  W_TS_AS,
  W_TS_DECLARE,
  W_TS_ENUM,
  W_TS_IMPLEMENTS,
  W_TS_INTERFACE,
  W_TS_ONLY,
  W_TS_TYPE,
  W_VALUE,
  WORDS,
} from './words';

export { CTX_JSX_EXPR } from './words';

export interface PendingImport {
  specifier: string;
  kind: ImportKind;
  typeOnly: boolean;
  pos: number;
  /** Local names of the value (non-type) bindings; null when the statement binds nothing to check. */
  bindings: string[] | null;
}

/**
 * Extracts imports, re-exports, dynamic imports and requires from JS/TS source, and for TypeScript
 * finds which imported bindings are used as values, so imports TypeScript would drop are marked.
 * Type positions (annotations, `as`, type arguments, interfaces, type aliases, `declare`) are
 * skipped with a small type grammar; anything it cannot follow throws ScanBailout and the caller
 * falls back to a full parser.
 */
export class Scanner {
  readonly tk: Tokenizer;
  readonly isTs: boolean;
  readonly jsx: boolean;
  readonly imports: PendingImport[] = [];
  /** Non-type import bindings, to learn which are used as values. */
  readonly tracked = new Set<string>();
  readonly used = new Set<string>();

  /** Context stack, as parallel arrays (kinds, pending `?`, pending `case`, inside `let`/`const`, class field initialiser). */
  kinds: number[] = [CTX_TOP];
  ternary: number[] = [0];
  cases: number[] = [0];
  varDecl: boolean[] = [false];
  classInit: boolean[] = [false];
  /** For CTX_CLASS: whether the class was a declaration (a statement), so its `}` ends a statement. */
  classDecl: boolean[] = [false];

  /** The current token was already read (by a type skipper that stopped on it). */
  haveToken = false;
  /** An operand is expected here: a `/` starts a regular expression and `<` starts JSX or a type assertion. */
  operandExpected = true;
  /** The current token starts a statement (for TypeScript's contextual keywords: `type`, `interface`, `declare`...). */
  stmtStart = true;
  prevType = TOK_EOF;
  prevValue = '';
  /** A handler set `prevType`/`prevValue` itself (after skipping a type or a JSX element). */
  prevLocked = false;
  /** The previous token was a `)` (a `:` after it starts a return type unless a `?` is pending). */
  prevCloseParen = false;
  /** The last `:` ended a label or `case`, so a `{` after it opens a block. */
  lastColonStatement = false;
  /** Context depth at which a `class` header / `enum` head started, or -1. */
  pendingClass = -1;
  pendingClassDecl = false;
  pendingEnum = -1;
  /** JSX elements being read, and where each JSX expression started in that stack. */
  jsxStack: number[] = [];
  jsxBases: number[] = [];

  constructor(source: string, lang: SourceLang) {
    this.tk = new Tokenizer(source);
    this.isTs = lang === 'ts' || lang === 'tsx';
    // Plain .js files are scanned with JSX too: many React code bases keep JSX in .js, and a `<`
    // where an operand is expected has no other meaning in JavaScript.
    this.jsx = lang !== 'ts';
  }

  get depth(): number {
    return this.kinds.length - 1;
  }

  get ctx(): number {
    return this.kinds[this.kinds.length - 1];
  }

  push(kind: number, classDecl = false): void {
    this.kinds.push(kind);
    this.ternary.push(0);
    this.cases.push(0);
    this.varDecl.push(false);
    this.classInit.push(false);
    this.classDecl.push(classDecl);
  }

  pop(): number {
    if (this.kinds.length <= 1) throw new ScanBailout('unbalanced closing bracket', this.tk.start);
    this.ternary.pop();
    this.cases.pop();
    this.varDecl.pop();
    this.classInit.pop();
    const decl = this.classDecl.pop() as boolean;
    const kind = this.kinds.pop() as number;
    if (kind === CTX_CLASS) this.pendingClassDecl = decl;
    return kind;
  }

  /** Reads the next token unless a skipper already did. */
  read(): number {
    if (this.haveToken) {
      this.haveToken = false;
      return this.tk.type;
    }
    return this.tk.next(this.operandExpected);
  }

  /** Reads a token where a type or a name is expected (never a regular expression). */
  readPlain(): number {
    this.haveToken = false;
    return this.tk.next(false);
  }

  isPunct(value: string): boolean {
    return this.tk.type === TOK_PUNCT && this.tk.value === value;
  }

  isIdent(value: string): boolean {
    return this.tk.type === TOK_IDENT && this.tk.value === value;
  }

  /** The next token's type and value without consuming it. */
  peek(): { type: number; value: string; newlineBefore: boolean; start: number; end: number } {
    const state = this.tk.save();
    const saved = { type: this.tk.type, value: this.tk.value, start: this.tk.start, end: this.tk.end, newlineBefore: this.tk.newlineBefore };
    this.tk.next(false);
    const result = { type: this.tk.type, value: this.tk.value, newlineBefore: this.tk.newlineBefore, start: this.tk.start, end: this.tk.end };
    this.tk.restore(state);
    this.tk.type = saved.type;
    this.tk.value = saved.value;
    this.tk.start = saved.start;
    this.tk.end = saved.end;
    this.tk.newlineBefore = saved.newlineBefore;
    return result;
  }

  /** The next non-space character code after the current token. */
  peekChar(): number {
    const src = this.tk.src;
    let i = this.tk.pos;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
    return src.charCodeAt(i);
  }

  addImport(specifier: string, kind: ImportKind, typeOnly: boolean, pos: number, bindings: string[] | null = null): void {
    this.imports.push({ specifier, kind, typeOnly, pos, bindings });
    if (bindings) for (const name of bindings) this.tracked.add(name);
  }

  markUsed(name: string): void {
    if (this.tracked.has(name)) this.used.add(name);
  }

  /** Overrides what the main loop takes as the previous token, for handlers that consumed several. */
  setPrev(type: number, value: string): void {
    this.prevType = type;
    this.prevValue = value;
    this.prevLocked = true;
  }

  /** Marks the previous token as the end of an operand: a `/` after it divides. */
  operandEnd(): void {
    this.operandExpected = false;
    this.stmtStart = false;
  }

  run(): PackedImport[] {
    const tk = this.tk;
    for (;;) {
      const type = this.read();
      if (type === TOK_EOF) break;
      this.statementBoundaryByNewline();
      const prevCloseParen = this.prevCloseParen;
      this.prevCloseParen = false;
      switch (type) {
        case TOK_IDENT:
          this.onIdent(tk.value);
          break;
        case TOK_PUNCT:
          onPunct(this, tk.value, prevCloseParen);
          break;
        case TOK_STRING:
        case TOK_NUMBER:
        case TOK_REGEX:
        case TOK_TEMPLATE:
        case TOK_PRIVATE:
          this.operandEnd();
          break;
        case TOK_TEMPLATE_HEAD:
          this.push(CTX_TEMPLATE);
          this.operandExpected = true;
          this.stmtStart = false;
          break;
        case TOK_TEMPLATE_MIDDLE:
          if (this.ctx !== CTX_TEMPLATE) throw new ScanBailout('template out of place', tk.start);
          this.operandExpected = true;
          break;
        case TOK_TEMPLATE_TAIL:
          if (this.pop() !== CTX_TEMPLATE) throw new ScanBailout('template out of place', tk.start);
          this.operandEnd();
          break;
      }
      if (this.prevLocked) this.prevLocked = false;
      else {
        this.prevType = tk.type;
        this.prevValue = tk.value;
      }
    }
    if (this.kinds.length !== 1) throw new ScanBailout('unclosed bracket at end of file', tk.length);
    if (this.jsxStack.length !== 0) throw new ScanBailout('unclosed JSX element at end of file', tk.length);
    return this.pack();
  }

  /**
   * Automatic semicolon insertion as far as it matters here: a line break after an operand,
   * followed by a word, ends the statement (and a `let`/`const` declaration or class field).
   */
  private statementBoundaryByNewline(): void {
    const tk = this.tk;
    if (!tk.newlineBefore || this.operandExpected || tk.type !== TOK_IDENT) return;
    const word = tk.value;
    if (word === 'as' || word === 'satisfies' || word === 'in' || word === 'of' || word === 'instanceof') return;
    const top = this.kinds.length - 1;
    this.varDecl[top] = false;
    this.classInit[top] = false;
    this.ternary[top] = 0;
    this.stmtStart = true;
  }

  private onIdent(name: string): void {
    if (this.prevType === TOK_PUNCT && (this.prevValue === '.' || this.prevValue === '?.')) {
      this.operandEnd();
      return;
    }
    const word = WORDS.get(name);
    if (word === undefined) {
      // Most identifiers: a possible use of an imported binding, then the end of an operand.
      if (this.tracked.size !== 0 && this.tracked.has(name) && isReference(this)) this.used.add(name);
      this.operandEnd();
      return;
    }
    if (word >= W_TS_ONLY) {
      if (this.isTs && !this.onTypeScriptWord(word)) return;
      if (this.tracked.size !== 0 && this.tracked.has(name) && isReference(this)) this.used.add(name);
      this.operandEnd();
      return;
    }
    if (word === W_OPERAND && this.operandExpected && CONTEXTUAL_OPERATORS.has(name)) {
      // `of(...)`, `static`, `module.exports`: contextual keywords used as identifiers.
      if (this.tracked.size !== 0 && this.tracked.has(name) && isReference(this)) this.used.add(name);
      this.operandEnd();
      return;
    }
    switch (word) {
      case W_IMPORT:
        handleImportKeyword(this);
        return;
      case W_EXPORT:
        handleExport(this);
        return;
      case W_REQUIRE:
        if (this.prevValue !== 'function' && tryCallImport(this, 'require')) return;
        this.operandEnd();
        return;
      case W_DECLARATION:
        if (this.isTs && name === 'const' && this.nextWordIs('enum')) {
          this.operandExpected = true;
          return;
        }
        this.varDecl[this.depth] = true;
        break;
      case W_CLASS:
        this.pendingClass = this.depth;
        this.pendingClassDecl = this.stmtStart;
        break;
      case W_CASE:
        this.cases[this.depth]++;
        break;
      case W_DEFAULT:
        if ((this.ctx === CTX_BLOCK || this.ctx === CTX_TOP) && nextCharIs(this, 58)) this.cases[this.depth]++;
        break;
      case W_VALUE:
        this.operandEnd();
        return;
    }
    // Keywords after which an operand comes (`return`, `typeof`, `if`, `else`, `function`...).
    this.operandExpected = true;
    this.stmtStart = false;
  }

  /**
   * TypeScript's contextual words. Returns true when the word is just an identifier here (so the
   * caller treats it as one), false when it was handled.
   */
  private onTypeScriptWord(word: number): boolean {
    if (this.stmtStart) {
      if (word === W_TS_TYPE && handleTypeAlias(this)) return false;
      if (word === W_TS_INTERFACE && handleInterface(this)) return false;
      if (word === W_TS_DECLARE && handleDeclare(this)) return false;
      if (word === W_TS_ENUM && handleEnumKeyword(this)) return false;
      if (word === W_TS_ABSTRACT && this.nextWordIs('class')) return false;
    } else if (word === W_TS_ENUM && this.prevValue === 'const' && handleEnumKeyword(this)) {
      return false;
    }
    if (word === W_TS_AS && !this.operandExpected && !this.tk.newlineBefore) {
      skipType(this);
      this.operandEnd();
      return false;
    }
    if (word === W_TS_IMPLEMENTS && this.pendingClass === this.depth) {
      skipTypeList(this);
      return false;
    }
    return true;
  }

  /** Whether the next word in the source (after spaces) is `word`: a cheap look-ahead without tokenizing. */
  nextWordIs(word: string): boolean {
    const src = this.tk.src;
    let i = this.tk.pos;
    for (;;) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
    if (!src.startsWith(word, i)) return false;
    const after = src.charCodeAt(i + word.length);
    if (Number.isNaN(after)) return true;
    const continuesWord = after >= 128 || (after >= 48 && after <= 57) || (after >= 65 && after <= 90) || (after >= 97 && after <= 122) || after === 36 || after === 95;
    return !continuesWord;
  }

  /** Import records with their lines, type-only and elision flags settled. */
  private pack(): PackedImport[] {
    const src = this.tk.src;
    const out: PackedImport[] = [];
    let line = 1;
    let cursor = 0;
    const order = this.imports.map((_, i) => i).sort((a, b) => this.imports[a].pos - this.imports[b].pos);
    const lines = new Array<number>(this.imports.length);
    for (const index of order) {
      const pos = this.imports[index].pos;
      for (let nl = src.indexOf('\n', cursor); nl >= 0 && nl < pos; nl = src.indexOf('\n', nl + 1)) {
        line++;
        cursor = nl + 1;
      }
      lines[index] = line;
    }
    this.imports.forEach((record, index) => {
      let flags = record.typeOnly ? FLAG_TYPE_ONLY : 0;
      if (!record.typeOnly && this.isTs && record.bindings !== null && !record.bindings.some((name) => this.used.has(name))) flags |= FLAG_ELIDED;
      out.push([record.specifier, kindIndex(record.kind), flags, lines[index]]);
    });
    return out;
  }
}
