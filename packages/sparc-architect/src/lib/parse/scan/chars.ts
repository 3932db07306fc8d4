/** Character codes and classes for the tokenizer. */

export const CH_TAB = 9;
export const CH_LF = 10;
export const CH_VT = 11;
export const CH_FF = 12;
export const CH_CR = 13;
export const CH_SPACE = 32;
export const CH_BANG = 33;
export const CH_DQUOTE = 34;
export const CH_HASH = 35;
export const CH_DOLLAR = 36;
export const CH_PERCENT = 37;
export const CH_AMP = 38;
export const CH_SQUOTE = 39;
export const CH_STAR = 42;
export const CH_PLUS = 43;
export const CH_MINUS = 45;
export const CH_DOT = 46;
export const CH_SLASH = 47;
export const CH_0 = 48;
export const CH_9 = 57;
export const CH_EQ = 61;
export const CH_GT = 62;
export const CH_QUESTION = 63;
export const CH_LT = 60;
export const CH_BACKSLASH = 92;
export const CH_LBRACKET = 91;
export const CH_RBRACKET = 93;
export const CH_CARET = 94;
export const CH_UNDERSCORE = 95;
export const CH_BACKTICK = 96;
export const CH_LBRACE = 123;
export const CH_PIPE = 124;
export const CH_RBRACE = 125;

/** 1 for characters that can continue an identifier (ASCII only; everything ≥ 0x80 is handled apart). */
export const IDENT_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  IDENT_PART[c] = isLetter || (c >= CH_0 && c <= CH_9) || c === CH_DOLLAR || c === CH_UNDERSCORE ? 1 : 0;
}

/** 1 for ASCII characters that can start an identifier. */
export const IDENT_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) IDENT_START[c] = IDENT_PART[c] === 1 && !(c >= CH_0 && c <= CH_9) ? 1 : 0;

/** Punctuators that are always a single character (indexed by character code). `{` counts braces. */
export const SINGLE_PUNCT: Array<string | undefined> = new Array(128).fill(undefined);
for (const ch of ['(', ')', '[', ']', '{', ',', ';', ':', '~', '@']) SINGLE_PUNCT[ch.charCodeAt(0)] = ch;

export function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

export function isLineTerminator(c: number): boolean {
  return c === CH_LF || c === CH_CR || c === 0x2028 || c === 0x2029;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

export function unescapeString(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_, esc: string) => {
    if (esc.startsWith('u{')) return String.fromCodePoint(parseInt(esc.slice(2, -1), 16));
    if (esc.length > 1 && (esc[0] === 'u' || esc[0] === 'x')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc === '\r\n' || esc === '\n' || esc === '\r' || esc === '\u2028' || esc === '\u2029') return '';
    return SIMPLE_ESCAPES[esc] ?? esc;
  });
}
