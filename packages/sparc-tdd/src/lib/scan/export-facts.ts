import { child, children, identifierName, propertyKeyName, type AstNode, type LineIndex, type ParseResultLike } from './ast';
import { describeValue, type TopLevelDeclaration } from './declarations';
import type { DeclarationDetail, DeclarationKind, ExportFact } from './facts';

/**
 * The value exports of a module (type-only ones are left out: a test cannot call them). Lines are
 * those of the exported names. `declared` (from the AST) adds parameters and methods; without it
 * the kind is read from the source text, which spares deserializing the AST, the bulk of the cost.
 */
export function exportFacts(parsed: ParseResultLike, declared: Map<string, TopLevelDeclaration> | undefined, lines: LineIndex, source: string): ExportFact[] {
  const namespaceImports = new Map<string, string>();
  for (const statement of parsed.module.staticImports) {
    for (const entry of statement.entries) {
      if (!entry.isType && entry.importName.kind === 'NamespaceObject') namespaceImports.set(entry.localName.value, statement.moduleRequest.value);
    }
  }
  const defaultDetail = (): DeclarationDetail => (declared ? defaultExportDetail(parsed.program.body, declared) : { kind: sniffKind(source, 0) });
  const facts: ExportFact[] = [];
  // Overload signatures and declaration merging export one name several times: it is one export.
  const localNames = new Set<string>();
  for (const statement of parsed.module.staticExports) {
    for (const entry of statement.entries) {
      if (entry.isType) continue;
      const from = entry.moduleRequest?.value;
      const exported = entry.exportName.kind === 'Default' ? 'default' : entry.exportName.name;
      if (from !== undefined) {
        if (entry.importName.kind === 'AllButDefault') facts.push({ type: 'star', from });
        else if (entry.importName.kind === 'All' && exported) facts.push({ type: 'namespace', name: exported, from, line: lines.line(entry.start) });
        else if (entry.importName.kind === 'Name' && exported && entry.importName.name) facts.push({ type: 're-export', name: exported, from, imported: entry.importName.name });
        continue;
      }
      if (exported === null) continue;
      const local = entry.localName.name;
      const viaNamespace = local !== null ? namespaceImports.get(local) : undefined;
      if (viaNamespace !== undefined) {
        facts.push({ type: 'namespace', name: exported, from: viaNamespace, line: lines.line(entry.start) });
        continue;
      }
      if (localNames.has(exported)) continue;
      localNames.add(exported);
      const line = lines.line(entry.exportName.start ?? entry.start);
      if (exported === 'default') {
        const detail = declared ? (local !== null && declared.has(local) ? detailOf(declared.get(local)) : defaultDetail()) : { kind: sniffKind(source, entry.start) };
        facts.push({ type: 'local', name: 'default', line, ...detail });
        continue;
      }
      const declaration = local !== null ? declared?.get(local) : undefined;
      facts.push({ type: 'local', name: exported, line, ...(declaration ? detailOf(declaration) : { kind: declared ? 'value' : sniffKind(source, entry.start) }) });
    }
  }
  return facts;
}

function detailOf(declaration: TopLevelDeclaration | undefined): DeclarationDetail {
  if (declaration === undefined) return { kind: 'value' };
  const { line: _line, ...detail } = declaration;
  return detail;
}

function defaultExportDetail(body: AstNode[], declared: Map<string, TopLevelDeclaration>): DeclarationDetail {
  const statement = body.find((s) => s.type === 'ExportDefaultDeclaration' || s.type === 'TSExportAssignment');
  const value = statement ? child(statement, statement.type === 'TSExportAssignment' ? 'expression' : 'declaration') : undefined;
  const name = identifierName(value);
  if (name !== undefined && declared.has(name)) return detailOf(declared.get(name));
  return describeValue(value);
}

const KIND_AT = /^(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(function|class|const|let|var|enum|namespace|module)\b/;

/** The kind of the declaration that starts at `offset`, read from the text (`value` for anything else). */
function sniffKind(source: string, offset: number): DeclarationKind {
  const match = KIND_AT.exec(source.slice(offset, offset + 80));
  const word = match?.[1];
  if (word === undefined) return 'value';
  return word === 'module' ? 'namespace' : (word as DeclarationKind);
}

/** `exports.a = ...`, `module.exports.a = ...`, `module.exports = { a, b }` and `module.exports = x` (default). */
export function commonJsExports(body: AstNode[], declared: Map<string, TopLevelDeclaration>, lines: LineIndex): ExportFact[] {
  const facts: ExportFact[] = [];
  const seen = new Set<string>();
  const add = (name: string, line: number, detail: DeclarationDetail) => {
    if (seen.has(name)) return;
    seen.add(name);
    facts.push({ type: 'local', name, line, ...detail });
  };
  const valueDetail = (value: AstNode | undefined): DeclarationDetail => {
    const name = identifierName(value);
    return name !== undefined && declared.has(name) ? detailOf(declared.get(name)) : describeValue(value);
  };
  for (const statement of body) {
    const assignment = statement.type === 'ExpressionStatement' ? child(statement, 'expression') : undefined;
    if (assignment?.type !== 'AssignmentExpression' || assignment.operator !== '=') continue;
    const target = child(assignment, 'left');
    const value = child(assignment, 'right');
    if (target?.type !== 'MemberExpression') continue;
    const object = child(target, 'object');
    const property = propertyKeyName(target);
    if (property === undefined) continue;
    if (isModuleExports(object) || identifierName(object) === 'exports') {
      add(property, lines.line(target.start), valueDetail(value));
    } else if (identifierName(object) === 'module' && property === 'exports') {
      if (value?.type === 'ObjectExpression') {
        for (const prop of children(value, 'properties')) {
          const name = prop.type === 'Property' ? propertyKeyName(prop) : undefined;
          if (name !== undefined) add(name, lines.line(prop.start), valueDetail(child(prop, 'value')));
        }
      } else {
        add('default', lines.line(target.start), valueDetail(value));
      }
    }
  }
  return facts;
}

function isModuleExports(node: AstNode | undefined): boolean {
  return node?.type === 'MemberExpression' && identifierName(child(node, 'object')) === 'module' && propertyKeyName(node) === 'exports';
}
