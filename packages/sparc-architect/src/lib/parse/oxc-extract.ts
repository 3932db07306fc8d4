/**
 * Import extraction from oxc-parser's AST: the exact (and slower) path, used for files the scanner
 * cannot follow and as the reference the scanner is checked against. oxc-parser is ESM-only, so its
 * `parseSync` is passed in by the worker that loaded it.
 */
import { FLAG_ELIDED, FLAG_TYPE_ONLY, kindIndex, langOf, type ImportKind, type PackedImport, type ParsedSource } from './types';

/** The parts of oxc-parser's API used here. */
export interface OxcParseSync {
  (filename: string, source: string, options?: { lang?: 'js' | 'jsx' | 'ts' | 'tsx'; sourceType?: 'module' | 'script' | 'unambiguous' }): {
    program: unknown;
    errors: Array<{ severity: string; message: string; labels: Array<{ start: number }> }>;
  };
}

interface AstNode {
  type: string;
  start: number;
  [key: string]: unknown;
}

interface Pending {
  specifier: string;
  kind: ImportKind;
  typeOnly: boolean;
  pos: number;
  bindings: string[] | null;
}

/** Nodes whose whole subtree is type-level (no run-time code). */
const TYPE_NODES = new Set([
  'TSTypeAnnotation',
  'TSTypeParameterInstantiation',
  'TSTypeParameterDeclaration',
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSClassImplements',
  'TSIndexSignature',
]);

function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && typeof (value as AstNode).type === 'string';
}

function lineOf(source: string, pos: number, cache: { pos: number; line: number }): number {
  if (pos < cache.pos) {
    cache.pos = 0;
    cache.line = 1;
  }
  for (let nl = source.indexOf('\n', cache.pos); nl >= 0 && nl < pos; nl = source.indexOf('\n', nl + 1)) {
    cache.line++;
    cache.pos = nl + 1;
  }
  return cache.line;
}

export function extractWithOxc(parseSync: OxcParseSync, file: string, sourceText: string): ParsedSource {
  const source = sourceText;
  const lang = langOf(file);
  const isTs = lang === 'ts' || lang === 'tsx';
  // JSX in .js files is common; parse JavaScript as JSX (a superset for our purposes).
  const result = parseSync(file, source, { lang: lang === 'js' ? 'jsx' : lang, sourceType: 'unambiguous' });
  const errors = result.errors.filter((e) => e.severity === 'Error');
  if (errors.length > 0) {
    const first = errors[0];
    return { imports: [], error: { message: first.message, line: lineOf(source, first.labels[0]?.start ?? 0, { pos: 0, line: 1 }) }, parser: 'oxc' };
  }
  const pending: Pending[] = [];
  const used = new Set<string>();
  let sawJsx = false;

  const add = (specifier: string, kind: ImportKind, typeOnly: boolean, pos: number, bindings: string[] | null = null) => pending.push({ specifier, kind, typeOnly, pos, bindings });
  const stringOf = (node: unknown): string | undefined => (isNode(node) && node.type === 'Literal' && typeof node.value === 'string' ? node.value : isNode(node) && node.type === 'TemplateLiteral' && (node.expressions as unknown[]).length === 0 ? String(((node.quasis as AstNode[])[0].value as { cooked: string }).cooked) : undefined);

  // An explicit stack instead of recursion: deeply nested expressions must not overflow.
  const stack: Array<[unknown, boolean]> = [[result.program, false]];
  while (stack.length > 0) {
    const [value, inType] = stack.pop() as [unknown, boolean];
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], inType]);
      continue;
    }
    if (!isNode(value)) continue;
    const node = value;
    const push = (child: unknown, typeLevel = inType) => stack.push([child, typeLevel]);
    switch (node.type) {
      case 'ImportDeclaration': {
        const specifiers = node.specifiers as AstNode[];
        const source = node.source as AstNode;
        const emptyBraces = specifiers.length === 0 && /\{\s*\}/.test(sourceText.slice(node.start, source.start));
        if (specifiers.length === 0 && !emptyBraces) {
          add(String(source.value), 'side-effect', false, node.start);
          continue;
        }
        const typeImport = node.importKind === 'type';
        const values = typeImport ? [] : specifiers.filter((s) => s.importKind !== 'type').map((s) => (s.local as AstNode).name as string);
        const allTypes = typeImport || (specifiers.length > 0 && values.length === 0);
        // `import {} from './x'` binds nothing, so TypeScript drops it: no binding is used.
        add(String(source.value), 'import', allTypes, node.start, allTypes ? null : values);
        continue;
      }
      case 'ExportAllDeclaration':
        add(String((node.source as AstNode).value), node.exported ? 're-export' : 'export-star', node.exportKind === 'type', node.start);
        continue;
      case 'ExportNamedDeclaration': {
        if (node.source) {
          const specifiers = node.specifiers as AstNode[];
          const allTypes = node.exportKind === 'type' || specifiers.length === 0 || specifiers.every((s) => s.exportKind === 'type');
          add(String((node.source as AstNode).value), 're-export', allTypes, node.start);
          continue;
        }
        if (node.exportKind !== 'type') {
          for (const specifier of node.specifiers as AstNode[]) {
            const local = specifier.local as AstNode;
            if (specifier.exportKind !== 'type' && local.type === 'Identifier') used.add(local.name as string);
          }
        }
        push(node.declaration);
        continue;
      }
      case 'TSImportEqualsDeclaration': {
        const reference = node.moduleReference as AstNode;
        if (reference.type === 'TSExternalModuleReference') {
          const typeOnly = node.importKind === 'type';
          add(String((reference.expression as AstNode).value), 'import-equals', typeOnly, node.start, typeOnly ? null : [(node.id as AstNode).name as string]);
        } else {
          let root: AstNode = reference;
          while (root.type === 'TSQualifiedName') root = root.left as AstNode;
          if (root.type === 'Identifier') used.add(root.name as string);
        }
        continue;
      }
      case 'TSImportType': {
        const argument = node.argument as AstNode | undefined;
        const spec = argument && argument.type === 'TSLiteralType' ? stringOf(argument.literal) : stringOf(argument ?? (node.source as AstNode));
        if (spec !== undefined) add(spec, 'type-import', true, node.start);
        push(node.qualifier, true);
        push(node.typeArguments, true);
        continue;
      }
      case 'ImportExpression': {
        const spec = stringOf(node.source);
        if (spec !== undefined && !inType) add(spec, 'dynamic', false, node.start);
        push(node.source);
        push(node.options);
        continue;
      }
      case 'CallExpression': {
        const callee = node.callee as AstNode;
        const args = node.arguments as AstNode[];
        if (!inType && callee.type === 'Identifier' && callee.name === 'require' && args.length >= 1) {
          const spec = stringOf(args[0]);
          if (spec !== undefined) add(spec, 'require', false, node.start);
        }
        break;
      }
      case 'MemberExpression':
        push(node.object);
        if (node.computed) push(node.property);
        continue;
      case 'Property':
      case 'PropertyDefinition':
      case 'MethodDefinition':
      case 'AccessorProperty':
      case 'TSAbstractPropertyDefinition':
      case 'TSAbstractMethodDefinition':
        if (node.computed) push(node.key);
        push(node.value);
        push(node.decorators);
        if (node.type !== 'Property') push(node.typeAnnotation, true);
        continue;
      case 'LabeledStatement':
        push(node.body);
        continue;
      case 'BreakStatement':
      case 'ContinueStatement':
        continue;
      case 'VariableDeclaration':
        if (node.declare) continue;
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.declare) continue;
        push(node.superClass);
        push(node.body);
        push(node.decorators);
        push(node.superTypeArguments ?? node.superTypeParameters, true);
        continue;
      case 'TSModuleDeclaration':
        if (node.declare || node.kind === 'global') continue;
        push(node.body);
        continue;
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
        push(node.expression);
        push(node.typeAnnotation, true);
        continue;
      case 'TSTypeQuery':
        push(node.exprName, true);
        continue;
      case 'JSXElement':
      case 'JSXFragment':
        sawJsx = true;
        break;
      case 'JSXOpeningElement': {
        let name = node.name as AstNode;
        const dotted = name.type === 'JSXMemberExpression';
        while (name.type === 'JSXMemberExpression') name = name.object as AstNode;
        if (name.type === 'JSXIdentifier' && (dotted || /^[A-Z_$]/.test(String(name.name)))) used.add(String(name.name));
        push(node.attributes);
        continue;
      }
      case 'JSXAttribute':
        push(node.value);
        continue;
      case 'Identifier':
        if (!inType) used.add(node.name as string);
        continue;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.declare) continue;
        push(node.params);
        push(node.body);
        push(node.returnType, true);
        push(node.typeParameters, true);
        continue;
      case 'VariableDeclarator':
        if ((node.id as AstNode).type !== 'Identifier') push(node.id);
        else push((node.id as AstNode).typeAnnotation, true);
        push(node.init);
        continue;
    }
    const typeLevel = inType || TYPE_NODES.has(node.type) || (node.type.startsWith('TS') && node.type.endsWith('Type'));
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'range' || key === 'loc') continue;
      const child = node[key];
      if (child !== null && typeof child === 'object') push(child, typeLevel || key === 'typeAnnotation' || key === 'returnType' || key === 'typeParameters' || key === 'typeArguments');
    }
  }

  if (sawJsx) used.add('React');
  const cache = { pos: 0, line: 1 };
  const imports: PackedImport[] = pending
    .sort((a, b) => a.pos - b.pos)
    .map((p) => {
      let flags = p.typeOnly ? FLAG_TYPE_ONLY : 0;
      if (!p.typeOnly && isTs && p.bindings !== null && !p.bindings.some((name) => used.has(name))) flags |= FLAG_ELIDED;
      return [p.specifier, kindIndex(p.kind), flags, lineOf(source, p.pos, cache)];
    });
  return { imports, parser: 'oxc' };
}
