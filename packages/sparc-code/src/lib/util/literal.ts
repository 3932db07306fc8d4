/** `'it\'s'`: a single-quoted TypeScript string literal, the style the generated code uses. */
export function tsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A property key as TypeScript source: bare when it is an identifier (except `__proto__`, which a literal would treat as the prototype). */
export function tsKey(key: string): string {
  return IDENTIFIER.test(key) && key !== '__proto__' ? key : tsString(key);
}

/** A JSON-like value as TypeScript source on one line, strings single-quoted: `{ title: 'a', tags: ['x'] }`. */
export function tsLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${tsKey(k)}: ${tsLiteral(v)}`).join(', ')} }`;
  }
  throw new TypeError(`cannot write a ${typeof value} as a TypeScript literal`);
}

/** A `/** ... *\/` comment line for `text`, or nothing; `*\/` inside is broken up so it cannot end the comment. */
export function docComment(text: string | undefined, indent = ''): string {
  if (text === undefined || text.trim() === '') return '';
  return `${indent}/** ${text.trim().replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n`;
}
