import type * as EsModuleLexer from 'es-module-lexer' with { 'resolution-mode': 'import' };
import { kindIndex, type ImportKind, type PackedImport } from './types';

/** Loaded with the first JavaScript file: a TypeScript-only project never pays for it. */
let lexer: typeof EsModuleLexer | undefined;

/** Loads and compiles the WebAssembly lexer ahead of the first file (a parse thread does it while it waits for work). */
export function prepareLexer(): typeof EsModuleLexer {
  if (lexer === undefined) {
    // The package's `require` condition is a CommonJS build; its type declarations are written as ESM.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('es-module-lexer') as typeof EsModuleLexer;
    loaded.initSync();
    lexer = loaded;
  }
  return lexer;
}

/** Whether es-module-lexer may take a file, by its name: JavaScript only (its content decides the rest). */
export function lexerMayTake(file: string): boolean {
  return /\.[cm]?js$/.test(file);
}

/** A `require(` anywhere (even in a comment) sends the file to the scanner, which knows which ones are calls. */
const REQUIRE_CALL = /\brequire\s*\(/;

/**
 * Imports of a plain JavaScript ES module by es-module-lexer (WebAssembly, about twice the
 * scanner's speed and with no JIT warm-up). Only for JavaScript without `require`: it sees no
 * CommonJS and no TypeScript, and JavaScript has no imports to elide. Returns undefined when it
 * does not apply or cannot lex the text (JSX, for one), so the scanner takes over.
 */
export function lexModule(file: string, source: string): PackedImport[] | undefined {
  if (!lexerMayTake(file) || REQUIRE_CALL.test(source)) return undefined;
  const { parse } = prepareLexer();
  // es-module-lexer finds nothing after a byte-order mark; dropping it keeps every line number.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  let imports;
  try {
    imports = parse(text)[0];
  } catch {
    return undefined;
  }
  const out: PackedImport[] = [];
  let line = 1;
  let cursor = 0;
  for (const record of imports) {
    if (record.n === undefined || record.d === -2) continue;
    let kind: ImportKind;
    if (record.d >= 0) kind = 'dynamic';
    else {
      const statement = text.slice(record.ss, record.se);
      if (statement.startsWith('export')) kind = /^export\s*\*\s*from/.test(statement) ? 'export-star' : 're-export';
      else kind = /^import\s*['"]/.test(statement) ? 'side-effect' : 'import';
    }
    for (let nl = text.indexOf('\n', cursor); nl >= 0 && nl < record.ss; nl = text.indexOf('\n', nl + 1)) {
      line++;
      cursor = nl + 1;
    }
    out.push([record.n, kindIndex(kind), 0, line]);
  }
  return out;
}
