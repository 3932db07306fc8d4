/**
 * What the scan workers send back per file: plain data (structured-clonable), positions already
 * turned into 1-based lines, module specifiers as written.
 */

export type DeclarationKind = 'function' | 'class' | 'const' | 'let' | 'var' | 'enum' | 'namespace' | 'value';

/** Enough about a declaration to write useful `it.todo` lines for it. */
export interface DeclarationDetail {
  kind: DeclarationKind;
  async?: boolean;
  /** Parameter names of a function (or of a class constructor). */
  params?: string[];
  /** Public method names of a class (`static ` prefixed for static ones). */
  methods?: string[];
}

/** `export function f`, `export { f }`, `export default ...`, `exports.f = ...`. */
export interface LocalExport extends DeclarationDetail {
  type: 'local';
  /** The exported name; `default` for a default export. */
  name: string;
  line: number;
}

/** `export { a as b } from './x'` (also `import { a } from './x'; export { a as b }`). */
export interface ReExport {
  type: 're-export';
  name: string;
  from: string;
  /** Name in the source module; `default` for its default export. */
  imported: string;
}

/** `export * as ns from './x'`. */
export interface NamespaceReExport {
  type: 'namespace';
  name: string;
  from: string;
  line: number;
}

/** `export * from './x'`: every named export of x except `default`. */
export interface StarReExport {
  type: 'star';
  from: string;
}

export type ExportFact = LocalExport | ReExport | NamespaceReExport | StarReExport;

/**
 * A module a file loads at run time and the names it uses from it: `all` when the file keeps the
 * whole module object around in a way the scan cannot follow.
 */
export interface ImportFact {
  from: string;
  names: string[] | 'all';
}

export interface FileFacts {
  /** Workspace-relative path, forward slashes. */
  file: string;
  exports: ExportFact[];
  imports: ImportFact[];
  /** Syntax errors the parser recovered from (the facts above may be partial). */
  errors: string[];
}

export interface ExtractRequest {
  root: string;
  /** Read parameters and methods from the AST (for todos); the scan alone does not need them. */
  detail?: boolean;
  files: Array<{ file: string; test: boolean }>;
}
