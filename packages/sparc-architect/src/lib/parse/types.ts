/** What the parsers extract from one file, in a compact form that is cheap to clone and to cache. */

export const IMPORT_KINDS = ['import', 'side-effect', 're-export', 'export-star', 'dynamic', 'require', 'import-equals', 'type-import'] as const;

/**
 * - `import`: `import x from`, `import { x } from`, `import * as x from`
 * - `side-effect`: `import './x'`
 * - `re-export`: `export { x } from`, `export * as ns from`
 * - `export-star`: `export * from`
 * - `dynamic`: `import('./x')` with a literal
 * - `require`: `require('./x')` with a literal
 * - `import-equals`: TypeScript's `import x = require('./x')`
 * - `type-import`: `import('./x')` in a type position (`typeof import('./x')`)
 */
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Explicitly type-only: `import type`, every specifier `type`, `export type`, or an import in a type position. */
export const FLAG_TYPE_ONLY = 1;
/** Not marked as a type, but every binding it brings in is used only in type positions, so TypeScript drops it. */
export const FLAG_ELIDED = 2;

/** `[specifier, kind index in IMPORT_KINDS, flags, 1-based line]`. */
export type PackedImport = [string, number, number, number];

export interface ParseFailure {
  message: string;
  line: number;
}

/** The parse result of one file's content. */
export interface ParsedSource {
  imports: PackedImport[];
  /** Set when the file does not parse; `imports` is then empty. */
  error?: ParseFailure;
  /** Which parser produced the result: the scanner, or oxc (the fallback, and for JSX-heavy edge cases). */
  parser: 'scan' | 'oxc';
}

export interface ImportRecord {
  specifier: string;
  kind: ImportKind;
  typeOnly: boolean;
  elided: boolean;
  line: number;
}

export function unpackImport(packed: PackedImport): ImportRecord {
  return {
    specifier: packed[0],
    kind: IMPORT_KINDS[packed[1]],
    typeOnly: (packed[2] & FLAG_TYPE_ONLY) !== 0,
    elided: (packed[2] & FLAG_ELIDED) !== 0,
    line: packed[3],
  };
}

export function kindIndex(kind: ImportKind): number {
  return IMPORT_KINDS.indexOf(kind);
}

/** The syntax a file is scanned with, from its extension. */
export type SourceLang = 'ts' | 'tsx' | 'js' | 'jsx';

export function langOf(file: string): SourceLang {
  const dot = file.lastIndexOf('.');
  const ext = dot < 0 ? '' : file.slice(dot + 1).toLowerCase();
  switch (ext) {
    case 'ts':
    case 'mts':
    case 'cts':
      return 'ts';
    case 'tsx':
      return 'tsx';
    case 'jsx':
      return 'jsx';
    default:
      return 'js';
  }
}

export const SOURCE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] as const;
