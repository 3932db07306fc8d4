import { child, children, identifierName, propertyKeyName, type AstNode, type LineIndex } from './ast';
import type { DeclarationDetail, DeclarationKind } from './facts';

export interface TopLevelDeclaration extends DeclarationDetail {
  line: number;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'TSDeclareFunction']);
const CLASS_TYPES = new Set(['ClassDeclaration', 'ClassExpression']);

/** Every name a top-level statement declares, with what it is (exported or not). */
export function topLevelDeclarations(body: AstNode[], lines: LineIndex): Map<string, TopLevelDeclaration> {
  const declared = new Map<string, TopLevelDeclaration>();
  const add = (id: AstNode | undefined, detail: DeclarationDetail) => {
    const name = identifierName(id);
    if (name !== undefined && id !== undefined && !declared.has(name)) declared.set(name, { ...detail, line: lines.line(id.start) });
  };
  for (const statement of body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? child(statement, 'declaration') : statement;
    if (declaration === undefined) continue;
    if (FUNCTION_TYPES.has(declaration.type) || CLASS_TYPES.has(declaration.type)) {
      add(child(declaration, 'id'), describeValue(declaration));
    } else if (declaration.type === 'VariableDeclaration') {
      const kind = variableKind(declaration.kind);
      for (const declarator of children(declaration, 'declarations')) {
        const init = child(declarator, 'init');
        const detail = init !== undefined && (FUNCTION_TYPES.has(init.type) || CLASS_TYPES.has(init.type)) ? describeValue(init) : { kind };
        for (const id of bindingIdentifiers(child(declarator, 'id'))) add(id, detail);
      }
    } else if (declaration.type === 'TSEnumDeclaration') {
      add(child(declaration, 'id'), { kind: 'enum' });
    } else if (declaration.type === 'TSModuleDeclaration') {
      add(child(declaration, 'id'), { kind: 'namespace' });
    }
  }
  return declared;
}

function variableKind(kind: unknown): DeclarationKind {
  return kind === 'let' || kind === 'var' ? kind : 'const';
}

/** What an exported value is: a function (with its parameters), a class (with its methods) or another value. */
export function describeValue(node: AstNode | undefined): DeclarationDetail {
  if (node === undefined) return { kind: 'value' };
  if (FUNCTION_TYPES.has(node.type)) {
    return { kind: 'function', async: node.async === true, params: children(node, 'params').map(parameterName).filter((p): p is string => p !== undefined) };
  }
  if (CLASS_TYPES.has(node.type)) return describeClass(node);
  return { kind: 'value' };
}

function describeClass(node: AstNode): DeclarationDetail {
  const methods: string[] = [];
  let params: string[] = [];
  for (const member of children(child(node, 'body') ?? node, 'body')) {
    const isMethod = member.type === 'MethodDefinition' || member.type === 'TSAbstractMethodDefinition';
    const value = child(member, 'value');
    const isArrowProperty = member.type === 'PropertyDefinition' && value !== undefined && FUNCTION_TYPES.has(value.type);
    if (!isMethod && !isArrowProperty) continue;
    if (member.kind === 'constructor') {
      params = children(value ?? member, 'params').map(parameterName).filter((p): p is string => p !== undefined);
      continue;
    }
    if (member.accessibility === 'private' || member.accessibility === 'protected' || child(member, 'key')?.type === 'PrivateIdentifier') continue;
    const name = propertyKeyName(member);
    if (name === undefined) continue;
    const label = `${member.static === true ? 'static ' : ''}${member.kind === 'get' ? 'get ' : member.kind === 'set' ? 'set ' : ''}${name}`;
    if (!methods.includes(label)) methods.push(label);
  }
  return { kind: 'class', params, methods };
}

function parameterName(param: AstNode): string | undefined {
  switch (param.type) {
    case 'Identifier':
      return param.name === 'this' ? undefined : (param.name as string);
    case 'AssignmentPattern':
      return parameterName(child(param, 'left') ?? param);
    case 'RestElement': {
      const inner = child(param, 'argument');
      return inner ? `...${parameterName(inner) ?? 'rest'}` : undefined;
    }
    case 'TSParameterProperty': {
      const inner = child(param, 'parameter');
      return inner ? parameterName(inner) : undefined;
    }
    case 'ObjectPattern': {
      const keys = children(param, 'properties').map((p) => (p.type === 'RestElement' ? '...' : propertyKeyName(p) ?? '?'));
      return `{ ${keys.join(', ')} }`;
    }
    case 'ArrayPattern':
      return '[…]';
    default:
      return undefined;
  }
}

/** Identifiers a binding pattern declares (`a`, `{ a, b: c }`, `[d, ...e]`). */
export function bindingIdentifiers(pattern: AstNode | undefined): AstNode[] {
  if (pattern === undefined) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [pattern];
    case 'ObjectPattern':
      return children(pattern, 'properties').flatMap((p) => bindingIdentifiers(p.type === 'RestElement' ? child(p, 'argument') : child(p, 'value')));
    case 'ArrayPattern':
      return children(pattern, 'elements').flatMap((e) => bindingIdentifiers(e));
    case 'RestElement':
      return bindingIdentifiers(child(pattern, 'argument'));
    case 'AssignmentPattern':
      return bindingIdentifiers(child(pattern, 'left'));
    default:
      return [];
  }
}
