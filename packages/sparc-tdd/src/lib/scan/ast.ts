/**
 * The slice of oxc-parser's ESTree output the scan reads. Declared here (not imported from
 * oxc-parser) because this code also runs where the ESM-only parser cannot be loaded.
 */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface ParseResultLike {
  program: { body: AstNode[] };
  module: ModuleRecordLike;
  errors: Array<{ message: string }>;
}

interface NameSpan {
  kind: string;
  name: string | null;
  start: number | null;
}

export interface ModuleRecordLike {
  hasModuleSyntax: boolean;
  dynamicImports?: unknown[];
  staticImports: Array<{
    moduleRequest: { value: string };
    entries: Array<{ importName: NameSpan; localName: { value: string }; isType: boolean }>;
  }>;
  staticExports: Array<{
    start: number;
    entries: Array<{
      start: number;
      moduleRequest: { value: string } | null;
      importName: NameSpan;
      exportName: NameSpan;
      localName: NameSpan;
      isType: boolean;
    }>;
  }>;
}

export type ParseSync = (filename: string, source: string, options?: { preserveParens?: boolean }) => ParseResultLike;

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function child(node: AstNode, key: string): AstNode | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

export function children(node: AstNode, key: string): AstNode[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function identifierName(node: AstNode | undefined): string | undefined {
  return node?.type === 'Identifier' && typeof node.name === 'string' ? node.name : undefined;
}

/** The value of a string literal (or a template without expressions), else undefined. */
export function stringValue(node: AstNode | undefined): string | undefined {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && children(node, 'expressions').length === 0) {
    const quasi = children(node, 'quasis')[0];
    const cooked = (quasi?.value as { cooked?: unknown } | undefined)?.cooked;
    return typeof cooked === 'string' ? cooked : undefined;
  }
  return undefined;
}

/** Name of a non-computed property key (`a` in `{ a: 1 }`, `x.a`, `{ 'a': 1 }`). */
export function propertyKeyName(node: AstNode): string | undefined {
  const key = child(node, node.type === 'MemberExpression' ? 'property' : 'key');
  if (node.computed === true) return stringValue(key);
  return identifierName(key) ?? stringValue(key);
}

/** 1-based line of a UTF-16 offset, by binary search over line starts. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  line(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}
