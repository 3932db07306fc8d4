import { child, children, identifierName, isNode, propertyKeyName, stringValue, type AstNode, type ParseResultLike } from './ast';
import type { ImportFact } from './facts';

/** A whole-module binding (`import * as m`, `const m = require(...)`) and the members used through it. */
interface ModuleBinding {
  from: string;
  names: Set<string>;
  all: boolean;
}

/** TS nodes that hold expressions; every other `TS*` node is a type and says nothing about run-time use. */
const TS_EXPRESSION_NODES = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression', 'TSEnumDeclaration', 'TSModuleDeclaration', 'TSExportAssignment', 'TSParameterProperty']);
const SKIPPED_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'superTypeArguments', 'decorators']);

/**
 * The modules a test file loads and the names it uses from each: static imports (type-only ones
 * left out), `require(...)`, `jest.requireActual(...)` and `import(...)`; for whole-module bindings,
 * the members read through them, or `all` when the binding escapes (passed on, spread, iterated).
 * Without `walkAst` only static imports are read (the caller knows the AST holds nothing more).
 */
export function importFacts(parsed: ParseResultLike, walkAst = true): ImportFact[] {
  const facts: ImportFact[] = [];
  const bindings = new Map<string, ModuleBinding>();
  for (const statement of parsed.module.staticImports) {
    const from = statement.moduleRequest.value;
    const names: string[] = [];
    let valueEntries = 0;
    for (const entry of statement.entries) {
      if (entry.isType) continue;
      valueEntries++;
      if (entry.importName.kind === 'NamespaceObject') bindings.set(entry.localName.value, { from, names: new Set(), all: false });
      else names.push(entry.importName.kind === 'Default' ? 'default' : (entry.importName.name ?? 'default'));
    }
    if (valueEntries > 0 || statement.entries.length === 0) facts.push({ from, names });
  }
  if (walkAst) new UsageWalker(facts, bindings).walkAll(parsed.program.body);
  for (const binding of bindings.values()) facts.push({ from: binding.from, names: binding.all ? 'all' : [...binding.names] });
  return facts;
}

class UsageWalker {
  readonly #ancestors: AstNode[] = [];

  constructor(
    readonly facts: ImportFact[],
    readonly bindings: Map<string, ModuleBinding>,
  ) {}

  walkAll(nodes: AstNode[]): void {
    for (const node of nodes) this.#walk(node);
  }

  #walk(node: AstNode): void {
    if (node.type === 'ImportDeclaration') return;
    if (node.type.startsWith('TS') && !TS_EXPRESSION_NODES.has(node.type)) return;
    if (this.#visit(node)) return;
    this.#ancestors.push(node);
    for (const key in node) {
      if (SKIPPED_KEYS.has(key) || key === 'start' || key === 'end' || key === 'type') continue;
      if (this.#isNonReference(node, key)) continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.#walk(item);
      } else if (isNode(value)) {
        this.#walk(value);
      }
    }
    this.#ancestors.pop();
  }

  /** Handles the node itself; true when its children need no further walk. */
  #visit(node: AstNode): boolean {
    const loaded = loadedModule(node);
    if (loaded !== undefined) {
      this.#recordLoad(node, loaded);
      return true;
    }
    if (node.type === 'MemberExpression') {
      const binding = this.bindings.get(identifierName(child(node, 'object')) ?? '');
      if (binding !== undefined) {
        const name = propertyKeyName(node);
        if (name === undefined) binding.all = true;
        else binding.names.add(name);
        if (node.computed === true) this.#walk(child(node, 'property') ?? node);
        return true;
      }
    }
    if (node.type === 'Identifier') {
      const binding = this.bindings.get(node.name as string);
      if (binding !== undefined) binding.all = true;
      return true;
    }
    return false;
  }

  /** Keys whose identifiers are names, not references (`x.name`, `{ name: v }`, labels, declared ids). */
  #isNonReference(node: AstNode, key: string): boolean {
    switch (node.type) {
      case 'MemberExpression':
        return key === 'property' && node.computed !== true;
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'TSAbstractMethodDefinition':
        return key === 'key' && node.computed !== true;
      case 'LabeledStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        return key === 'label';
      case 'VariableDeclarator':
        return key === 'id' && child(node, 'id')?.type === 'Identifier';
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ClassDeclaration':
      case 'ClassExpression':
        return key === 'id';
      default:
        return false;
    }
  }

  /** What a `require(...)` / `import(...)` is used for, from where it sits. */
  #recordLoad(node: AstNode, from: string): void {
    let expression = node;
    let depth = this.#ancestors.length - 1;
    let parent = this.#ancestors[depth];
    if (parent?.type === 'AwaitExpression') {
      expression = parent;
      parent = this.#ancestors[--depth];
    }
    if (parent?.type === 'MemberExpression' && parent.object === expression) {
      const name = propertyKeyName(parent);
      this.facts.push({ from, names: name === undefined ? 'all' : [name] });
    } else if (parent?.type === 'VariableDeclarator' && parent.init === expression) {
      const id = child(parent, 'id');
      if (id?.type === 'Identifier') this.bindings.set(id.name as string, { from, names: new Set(), all: false });
      else if (id?.type === 'ObjectPattern') this.facts.push({ from, names: destructuredNames(id) });
      else this.facts.push({ from, names: 'all' });
    } else if (parent?.type === 'ExpressionStatement') {
      this.facts.push({ from, names: [] });
    } else {
      this.facts.push({ from, names: 'all' });
    }
    for (const arg of children(node, 'arguments').slice(1)) this.#walk(arg);
  }
}

function destructuredNames(pattern: AstNode): string[] | 'all' {
  const names: string[] = [];
  for (const property of children(pattern, 'properties')) {
    if (property.type === 'RestElement') return 'all';
    const name = propertyKeyName(property);
    if (name === undefined) return 'all';
    names.push(name);
  }
  return names;
}

/** The specifier when `node` loads a module at run time: `require('x')`, `jest.requireActual('x')`, `import('x')`. */
function loadedModule(node: AstNode): string | undefined {
  if (node.type === 'ImportExpression') return stringValue(child(node, 'source'));
  if (node.type !== 'CallExpression') return undefined;
  const callee = child(node, 'callee');
  const isRequire =
    identifierName(callee) === 'require' ||
    (callee?.type === 'MemberExpression' && ['jest', 'require'].includes(identifierName(child(callee, 'object')) ?? '') && propertyKeyName(callee) === 'requireActual');
  return isRequire ? stringValue(children(node, 'arguments')[0]) : undefined;
}
