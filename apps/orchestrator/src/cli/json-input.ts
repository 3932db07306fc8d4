import { InputError } from './errors';

export interface TextPosition {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * Parses JSON the user wrote, turning a syntax error into an InputError with line and column.
 * `JSON.parse` on Node 20 reports a position for only some errors, so the position comes from a
 * small scanner that stops at the first character that cannot continue a JSON text.
 */
export function parseJsonInput(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    // V8 quotes the offending text, newlines included: keep the message on one line.
    const reason = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    if (body.trim() === '') throw new InputError(`${source} is empty (expected a JSON object)`);
    const where = locateJsonError(body);
    const at = where ? ` at line ${where.line}, column ${where.column}` : '';
    throw new InputError(`invalid JSON in ${source}${at}: ${reason}`);
  }
}

export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

class JsonStop {
  constructor(readonly offset: number) {}
}

/** Position of the first syntax error in `text`, or undefined when the scanner finds none. */
export function locateJsonError(text: string): TextPosition | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return undefined;
  } catch (stop) {
    if (stop instanceof JsonStop) return positionOf(text, stop.offset);
    return undefined; // e.g. RangeError on absurdly deep nesting: no position, the message stays
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters (U+0000 to U+001F) inside strings.
// eslint-disable-next-line no-control-regex
const STRING_CHARS = /(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;

class JsonScanner {
  #text: string;
  #i = 0;

  constructor(text: string) {
    this.#text = text;
  }

  document(): void {
    this.#value();
    this.#space();
    if (this.#i < this.#text.length) this.#fail();
  }

  #fail(): never {
    throw new JsonStop(this.#i);
  }

  #space(): void {
    while (this.#i < this.#text.length && ' \t\n\r'.includes(this.#text[this.#i])) this.#i++;
  }

  #expect(char: string): void {
    this.#space();
    if (this.#text[this.#i] !== char) this.#fail();
    this.#i++;
  }

  #value(): void {
    this.#space();
    const char = this.#text[this.#i];
    if (char === '{') return this.#object();
    if (char === '[') return this.#array();
    if (char === '"') return this.#string();
    for (const word of ['true', 'false', 'null']) {
      if (this.#text.startsWith(word, this.#i)) {
        this.#i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = this.#i;
    if (NUMBER.test(this.#text)) {
      this.#i = NUMBER.lastIndex;
      return;
    }
    this.#fail();
  }

  #string(): void {
    this.#i++; // opening quote
    STRING_CHARS.lastIndex = this.#i;
    STRING_CHARS.test(this.#text);
    this.#i = STRING_CHARS.lastIndex;
    if (this.#text[this.#i] !== '"') this.#fail();
    this.#i++;
  }

  #object(): void {
    this.#i++;
    this.#space();
    if (this.#text[this.#i] === '}') {
      this.#i++;
      return;
    }
    for (;;) {
      this.#space();
      if (this.#text[this.#i] !== '"') this.#fail();
      this.#string();
      this.#expect(':');
      this.#value();
      this.#space();
      if (this.#text[this.#i] === ',') {
        this.#i++;
        continue;
      }
      this.#expect('}');
      return;
    }
  }

  #array(): void {
    this.#i++;
    this.#space();
    if (this.#text[this.#i] === ']') {
      this.#i++;
      return;
    }
    for (;;) {
      this.#value();
      this.#space();
      if (this.#text[this.#i] === ',') {
        this.#i++;
        continue;
      }
      this.#expect(']');
      return;
    }
  }
}
