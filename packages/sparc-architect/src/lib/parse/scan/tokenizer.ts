/**
 * A JavaScript/TypeScript tokenizer that does only what import extraction needs: it skips comments,
 * strings, templates and regular expressions correctly (the scanner decides where a `/` starts a
 * regular expression) and reports identifiers and punctuators with their positions. It allocates
 * nothing per token except identifier names, so a 20 MB source tree costs tens of milliseconds.
 */

import {
  CH_0,
  CH_9,
  CH_AMP,
  CH_BACKSLASH,
  CH_BACKTICK,
  CH_BANG,
  CH_CARET,
  CH_CR,
  CH_DOLLAR,
  CH_DOT,
  CH_DQUOTE,
  CH_EQ,
  CH_FF,
  CH_GT,
  CH_HASH,
  CH_LBRACE,
  CH_LBRACKET,
  CH_LF,
  CH_LT,
  CH_MINUS,
  CH_PERCENT,
  CH_PIPE,
  CH_PLUS,
  CH_QUESTION,
  CH_RBRACE,
  CH_RBRACKET,
  CH_SLASH,
  CH_SPACE,
  CH_SQUOTE,
  CH_STAR,
  CH_TAB,
  CH_VT,
  IDENT_PART,
  IDENT_START,
  SINGLE_PUNCT,
  isLineTerminator,
  isUnicodeSpace,
  unescapeString,
} from './chars';

export const TOK_EOF = 0;
export const TOK_IDENT = 1;
export const TOK_PUNCT = 2;
export const TOK_STRING = 3;
export const TOK_NUMBER = 4;
export const TOK_REGEX = 5;
/** A whole template without substitutions: `` `abc` ``. */
export const TOK_TEMPLATE = 6;
/** `` `abc${ ``: a template whose first substitution follows. */
export const TOK_TEMPLATE_HEAD = 7;
/** `` }abc${ ``: between two substitutions. */
export const TOK_TEMPLATE_MIDDLE = 8;
/** `` }abc` ``: the end of a template with substitutions. */
export const TOK_TEMPLATE_TAIL = 9;
export const TOK_PRIVATE = 10;

/** Thrown when the source cannot be tokenized (an unterminated string, comment, template...). */
export class ScanBailout extends Error {
  readonly pos: number;
  constructor(message: string, pos: number) {
    super(message);
    this.name = 'ScanBailout';
    this.pos = pos;
  }
}

export interface TokenizerState {
  pos: number;
  braceDepth: number;
  /** Open template substitutions: a look-ahead of one or a few tokens only ever pushes or pops at the top. */
  templateCount: number;
  templateTop: number;
  templates: number[] | null;
}

export class Tokenizer {
  readonly src: string;
  readonly length: number;
  pos = 0;
  /** Kind of the current token (`TOK_*`). */
  type = TOK_EOF;
  start = 0;
  end = 0;
  /** The punctuator text, or the identifier name; empty for other tokens. */
  value = '';
  /** A line terminator (or a comment holding one) came between the previous token and this one. */
  newlineBefore = false;
  /** Open `{` not yet closed, counting template substitutions, so a `}` can be told from a template's. */
  braceDepth = 0;
  /** `braceDepth` at each open template substitution, innermost last. */
  templates: number[] = [];

  constructor(src: string) {
    this.src = src;
    this.length = src.length;
    // A hashbang is only valid at the very start; it reads like a line comment.
    if (src.charCodeAt(0) === CH_HASH && src.charCodeAt(1) === CH_BANG) {
      const eol = src.indexOf('\n');
      this.pos = eol < 0 ? src.length : eol;
    }
  }

  save(): TokenizerState {
    const count = this.templates.length;
    return { pos: this.pos, braceDepth: this.braceDepth, templateCount: count, templateTop: count > 0 ? this.templates[count - 1] : -1, templates: count > 1 ? [...this.templates] : null };
  }

  restore(state: TokenizerState): void {
    this.pos = state.pos;
    this.braceDepth = state.braceDepth;
    if (state.templates !== null) this.templates = [...state.templates];
    else if (this.templates.length !== state.templateCount || (state.templateCount === 1 && this.templates[0] !== state.templateTop)) {
      this.templates.length = state.templateCount;
      if (state.templateCount === 1) this.templates[0] = state.templateTop;
    }
  }

  /**
   * Reads the next token. `regexAllowed` says whether a `/` here starts a regular expression, which
   * only the caller (who knows the previous token's role) can tell.
   *
   * Whitespace, comments, identifiers and single-character punctuators are handled inline: they are
   * most of the tokens, and each function call costs while the code is still cold.
   */
  next(regexAllowed: boolean): number {
    const src = this.src;
    const length = this.length;
    let pos = this.pos;
    let newline = false;
    let c = 0;
    for (;;) {
      if (pos >= length) {
        this.pos = pos;
        this.start = pos;
        this.end = pos;
        this.newlineBefore = newline;
        this.type = TOK_EOF;
        this.value = '';
        return TOK_EOF;
      }
      c = src.charCodeAt(pos);
      if (c === CH_SPACE || c === CH_TAB) pos++;
      else if (c === CH_LF || c === CH_CR) {
        newline = true;
        pos++;
      } else if (c === CH_SLASH) {
        const next = src.charCodeAt(pos + 1);
        if (next === CH_SLASH) {
          const eol = src.indexOf('\n', pos + 2);
          if (eol < 0) pos = length;
          else {
            pos = eol + 1;
            newline = true;
          }
        } else if (next === CH_STAR) {
          const close = src.indexOf('*/', pos + 2);
          if (close < 0) throw new ScanBailout('unterminated comment', pos);
          if (!newline) {
            const nl = src.indexOf('\n', pos + 2);
            if (nl >= 0 && nl < close) newline = true;
          }
          pos = close + 2;
        } else break;
      } else if (c === CH_VT || c === CH_FF) pos++;
      else if (c >= 0x80 && (isUnicodeSpace(c) || c === 0x2028 || c === 0x2029)) {
        if (c === 0x2028 || c === 0x2029) newline = true;
        pos++;
      } else break;
    }
    this.newlineBefore = newline;
    this.start = pos;
    this.pos = pos;
    if (c < 128 && IDENT_START[c] === 1) {
      let end = pos + 1;
      for (;;) {
        const d = src.charCodeAt(end);
        if (d < 128 && IDENT_PART[d] === 1) end++;
        else break;
      }
      const stop = src.charCodeAt(end);
      if (stop === CH_BACKSLASH || (stop >= 0x80 && !isUnicodeSpace(stop) && !isLineTerminator(stop))) return this.readIdentifier(pos);
      this.pos = end;
      this.end = end;
      this.value = src.slice(pos, end);
      this.type = TOK_IDENT;
      return TOK_IDENT;
    }
    const single = SINGLE_PUNCT[c < 128 ? c : 0];
    if (single !== undefined) {
      if (c === CH_LBRACE) this.braceDepth++;
      this.pos = pos + 1;
      this.end = pos + 1;
      this.value = single;
      this.type = TOK_PUNCT;
      return TOK_PUNCT;
    }
    // Other identifiers start with a non-ASCII character or an escape.
    if (c >= 0x80 && !isLineTerminator(c)) return this.readIdentifier(pos);
    if (c >= CH_0 && c <= CH_9) return this.readNumber(pos);
    switch (c) {
      case CH_SQUOTE:
      case CH_DQUOTE:
        return this.readString(pos, c);
      case CH_BACKTICK:
        return this.readTemplate(pos + 1, TOK_TEMPLATE, TOK_TEMPLATE_HEAD);
      case CH_BACKSLASH:
        return this.readIdentifier(pos);
      case CH_HASH: {
        this.readIdentifier(pos + 1);
        this.start = pos;
        this.type = TOK_PRIVATE;
        return TOK_PRIVATE;
      }
      case CH_DOT: {
        const n = src.charCodeAt(pos + 1);
        if (n >= CH_0 && n <= CH_9) return this.readNumber(pos);
        if (n === CH_DOT && src.charCodeAt(pos + 2) === CH_DOT) return this.punct(pos, 3, '...');
        return this.punct(pos, 1, '.');
      }
      case CH_SLASH:
        if (regexAllowed) return this.readRegex(pos);
        return src.charCodeAt(pos + 1) === CH_EQ ? this.punct(pos, 2, '/=') : this.punct(pos, 1, '/');
      case CH_RBRACE: {
        const templates = this.templates;
        if (templates.length > 0 && templates[templates.length - 1] === this.braceDepth) {
          templates.pop();
          return this.readTemplate(pos + 1, TOK_TEMPLATE_TAIL, TOK_TEMPLATE_MIDDLE);
        }
        this.braceDepth--;
        return this.punct(pos, 1, '}');
      }
      case CH_EQ: {
        const n = src.charCodeAt(pos + 1);
        if (n === CH_GT) return this.punct(pos, 2, '=>');
        if (n === CH_EQ) return src.charCodeAt(pos + 2) === CH_EQ ? this.punct(pos, 3, '===') : this.punct(pos, 2, '==');
        return this.punct(pos, 1, '=');
      }
      case CH_QUESTION: {
        const n = src.charCodeAt(pos + 1);
        if (n === CH_DOT) {
          const d = src.charCodeAt(pos + 2);
          if (!(d >= CH_0 && d <= CH_9)) return this.punct(pos, 2, '?.');
        }
        if (n === CH_QUESTION) return src.charCodeAt(pos + 2) === CH_EQ ? this.punct(pos, 3, '??=') : this.punct(pos, 2, '??');
        return this.punct(pos, 1, '?');
      }
      case CH_LT: {
        const n = src.charCodeAt(pos + 1);
        if (n === CH_LT) return src.charCodeAt(pos + 2) === CH_EQ ? this.punct(pos, 3, '<<=') : this.punct(pos, 2, '<<');
        if (n === CH_EQ) return this.punct(pos, 2, '<=');
        return this.punct(pos, 1, '<');
      }
      // `>` is always a token of its own: type argument lists close with `>>` (`A<B<C>>`), and
      // shifts or `>=` never matter to import extraction.
      case CH_GT:
        return this.punct(pos, 1, '>');
      case CH_BANG: {
        if (src.charCodeAt(pos + 1) === CH_EQ) return src.charCodeAt(pos + 2) === CH_EQ ? this.punct(pos, 3, '!==') : this.punct(pos, 2, '!=');
        return this.punct(pos, 1, '!');
      }
      case CH_AMP:
      case CH_PIPE: {
        const n = src.charCodeAt(pos + 1);
        const ch = c === CH_AMP ? '&' : '|';
        if (n === c) return src.charCodeAt(pos + 2) === CH_EQ ? this.punct(pos, 3, `${ch}${ch}=`) : this.punct(pos, 2, `${ch}${ch}`);
        if (n === CH_EQ) return this.punct(pos, 2, `${ch}=`);
        return this.punct(pos, 1, ch);
      }
      case CH_PLUS:
      case CH_MINUS: {
        const n = src.charCodeAt(pos + 1);
        const ch = c === CH_PLUS ? '+' : '-';
        if (n === c) return this.punct(pos, 2, `${ch}${ch}`);
        if (n === CH_EQ) return this.punct(pos, 2, `${ch}=`);
        return this.punct(pos, 1, ch);
      }
      case CH_STAR: {
        const n = src.charCodeAt(pos + 1);
        if (n === CH_STAR) return src.charCodeAt(pos + 2) === CH_EQ ? this.punct(pos, 3, '**=') : this.punct(pos, 2, '**');
        if (n === CH_EQ) return this.punct(pos, 2, '*=');
        return this.punct(pos, 1, '*');
      }
      case CH_PERCENT:
      case CH_CARET: {
        const ch = c === CH_PERCENT ? '%' : '^';
        return src.charCodeAt(pos + 1) === CH_EQ ? this.punct(pos, 2, `${ch}=`) : this.punct(pos, 1, ch);
      }
      default:
        return this.punct(pos, 1, src[pos]);
    }
  }

  private punct(pos: number, length: number, value: string): number {
    this.pos = pos + length;
    this.end = this.pos;
    this.value = value;
    this.type = TOK_PUNCT;
    return TOK_PUNCT;
  }

  private readIdentifier(pos: number): number {
    const src = this.src;
    let end = pos;
    let escaped = false;
    while (end < this.length) {
      const c = src.charCodeAt(end);
      if (c < 128) {
        if (IDENT_PART[c] === 1) end++;
        else if (c === CH_BACKSLASH) {
          escaped = true;
          end += 2;
        } else break;
      } else if (isUnicodeSpace(c) || isLineTerminator(c)) {
        break;
      } else {
        end++;
      }
    }
    if (end === pos) throw new ScanBailout(`unexpected character ${JSON.stringify(src[pos])}`, pos);
    this.pos = end;
    this.end = end;
    this.value = escaped ? src.slice(pos, end).replace(/\\u\{?([0-9a-fA-F]+)\}?/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))) : src.slice(pos, end);
    this.type = TOK_IDENT;
    return TOK_IDENT;
  }

  private readNumber(pos: number): number {
    const src = this.src;
    let end = pos;
    const hex = src.charCodeAt(pos) === CH_0 && (src.charCodeAt(pos + 1) | 32) === 120;
    while (end < this.length) {
      const c = src.charCodeAt(end);
      if (c < 128 && (IDENT_PART[c] === 1 || c === CH_DOT)) {
        // An exponent may carry a sign: 1e-7.
        if (!hex && (c | 32) === 101 && (src.charCodeAt(end + 1) === CH_PLUS || src.charCodeAt(end + 1) === CH_MINUS)) end += 2;
        else end++;
      } else break;
    }
    this.pos = end;
    this.end = end;
    this.value = '';
    this.type = TOK_NUMBER;
    return TOK_NUMBER;
  }

  private readString(pos: number, quote: number): number {
    const src = this.src;
    // Fast path: the closing quote with no backslash or line break before it (most strings).
    const close = src.indexOf(quote === CH_DQUOTE ? '"' : "'", pos + 1);
    if (close > 0) {
      let clean = true;
      for (let k = pos + 1; k < close; k++) {
        const c = src.charCodeAt(k);
        if (c === CH_BACKSLASH || c === CH_LF || c === CH_CR) {
          clean = false;
          break;
        }
      }
      if (clean) {
        this.pos = close + 1;
        this.end = this.pos;
        this.value = '';
        this.type = TOK_STRING;
        return TOK_STRING;
      }
    }
    let i = pos + 1;
    for (;;) {
      if (i >= this.length) throw new ScanBailout('unterminated string', pos);
      const c = src.charCodeAt(i);
      if (c === quote) break;
      if (c === CH_BACKSLASH) {
        // A backslash before CR LF continues the string over both.
        i += src.charCodeAt(i + 1) === CH_CR && src.charCodeAt(i + 2) === CH_LF ? 3 : 2;
        continue;
      }
      if (c === CH_LF || c === CH_CR) throw new ScanBailout('unterminated string', pos);
      i++;
    }
    this.pos = i + 1;
    this.end = this.pos;
    this.value = '';
    this.type = TOK_STRING;
    return TOK_STRING;
  }

  /** Reads template characters from `from` up to the closing backtick or the next `${`. */
  private readTemplate(from: number, whole: number, open: number): number {
    const src = this.src;
    let i = from;
    for (;;) {
      if (i >= this.length) throw new ScanBailout('unterminated template', from - 1);
      const c = src.charCodeAt(i);
      if (c === CH_BACKTICK) {
        this.pos = i + 1;
        this.type = whole;
        break;
      }
      if (c === CH_BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === CH_DOLLAR && src.charCodeAt(i + 1) === CH_LBRACE) {
        this.pos = i + 2;
        this.type = open;
        this.templates.push(this.braceDepth);
        break;
      }
      i++;
    }
    this.end = this.pos;
    this.value = '';
    return this.type;
  }

  private readRegex(pos: number): number {
    const src = this.src;
    let i = pos + 1;
    let inClass = false;
    for (;;) {
      if (i >= this.length) throw new ScanBailout('unterminated regular expression', pos);
      const c = src.charCodeAt(i);
      if (c === CH_BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === CH_LF || c === CH_CR) throw new ScanBailout('unterminated regular expression', pos);
      if (inClass) {
        if (c === CH_RBRACKET) inClass = false;
      } else if (c === CH_LBRACKET) {
        inClass = true;
      } else if (c === CH_SLASH) {
        break;
      }
      i++;
    }
    i++;
    while (i < this.length) {
      const c = src.charCodeAt(i);
      if (c < 128 && IDENT_PART[c] === 1) i++;
      else break;
    }
    this.pos = i;
    this.end = i;
    this.value = '';
    this.type = TOK_REGEX;
    return TOK_REGEX;
  }

  /** The cooked value of the string token (or no-substitution template) at `start..end`. */
  stringValue(start: number, end: number): string {
    const raw = this.src.slice(start + 1, end - 1);
    return raw.includes('\\') ? unescapeString(raw) : raw;
  }
}
