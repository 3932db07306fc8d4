import * as path from 'node:path';
import type { ExportedDeclaration } from '../scan/export-graph';

const quote = (text: string): string => JSON.stringify(text);
const headerFor = (moduleFile: string): string => `// Tests to write for ${moduleFile}: its exports no test imports yet, found by \`sparc tdd scan\`.`;

/** True when `content` is the todo file generated earlier for `moduleFile`, so a rerun does not add a second one. */
export function isTodoFileFor(content: string, moduleFile: string): boolean {
  return content.startsWith(headerFor(moduleFile));
}

/** Where a module's test files go: beside it, `<base>.test.<ext>` or, when that is taken, `<base>.untested.test.<ext>`. */
export function todoTestCandidates(moduleFile: string): string[] {
  const ext = path.posix.extname(moduleFile);
  const base = moduleFile.slice(0, moduleFile.length - ext.length);
  const testExt = ext === '.jsx' || ext === '.tsx' ? ext : ext === '.mts' || ext === '.cts' || ext === '.mjs' || ext === '.cjs' ? ext : ext === '.js' ? '.js' : '.ts';
  return [`${base}.test${testExt}`, `${base}.untested.test${testExt}`];
}

/** What to test for one export, as `it.todo` titles: from its kind, parameters and methods. */
export function todosFor(declaration: ExportedDeclaration): string[] {
  const params = declaration.params ?? [];
  const paramList = params.length > 0 ? ` (${params.join(', ')})` : '';
  switch (declaration.kind) {
    case 'function': {
      const result = declaration.async ? 'resolves to' : 'returns';
      const failure = declaration.async ? 'rejects with' : 'throws';
      return [
        `${result} the expected result for typical arguments${paramList}`,
        ...(params.length > 0 ? [`handles edge values of ${params.join(', ')} (empty, zero, missing, very large)`] : []),
        `${failure} a clear error on invalid input`,
      ];
    }
    case 'class': {
      const todos = [`constructs from valid arguments${paramList}`];
      if (params.length > 0) todos.push('rejects invalid constructor arguments');
      for (const method of declaration.methods ?? []) {
        const accessor = /^(static )?(get|set) /.test(method);
        todos.push(accessor ? `${method}: gives the expected value` : `${method}(): expected result for typical input, and its error cases`);
      }
      return todos;
    }
    case 'enum':
      return ['has the expected members and values'];
    case 'namespace':
      return ['exposes the expected members'];
    default:
      return ['has the expected value (shape, defaults, invariants)'];
  }
}

function describeTitle(declaration: ExportedDeclaration): string {
  const shown = declaration.name === 'default' ? 'default export' : declaration.name;
  if (declaration.kind === 'function') return `${shown}(${(declaration.params ?? []).join(', ')})`;
  if (declaration.kind === 'class') return declaration.name === 'default' ? 'default export (class)' : `class ${shown}`;
  return shown;
}

/**
 * A test file of `it.todo` entries for a module's untested exports: a `describe` per export. It
 * imports nothing, so a later scan still reports the exports as untested until real tests
 * import them; jest lists every entry as todo, never as passing.
 */
export function renderTodoTestFile(moduleFile: string, testFile: string, declarations: ExportedDeclaration[]): string {
  const specifier = relativeSpecifier(testFile, moduleFile);
  const named = declarations.filter((d) => d.name !== 'default').map((d) => d.name);
  const hasDefault = declarations.some((d) => d.name === 'default');
  const commonJs = testFile.endsWith('.cjs');
  const importLine = commonJs
    ? `const { ${[...named, ...(hasDefault ? ['default: defaultExport'] : [])].join(', ')} } = require(${quote(specifier)});`
    : `import ${[hasDefault ? 'defaultExport' : '', named.length > 0 ? `{ ${named.join(', ')} }` : ''].filter(Boolean).join(', ')} from ${quote(specifier)};`;
  const lines = [
    headerFor(moduleFile),
    `// Every entry is an it.todo, which jest reports as todo, never as passing. When you write the`,
    `// first real test, import what it exercises:`,
    `//   ${importLine}`,
    ``,
  ];
  for (const declaration of declarations) {
    lines.push(`describe(${quote(describeTitle(declaration))}, () => {`);
    for (const todo of todosFor(declaration)) lines.push(`  it.todo(${quote(todo)});`);
    lines.push(`});`, ``);
  }
  return lines.join('\n');
}

function relativeSpecifier(fromFile: string, toFile: string): string {
  const ext = path.posix.extname(toFile);
  const withoutExt = /^\.[cm]?[jt]sx?$/.test(ext) && !['.mjs', '.cjs', '.mts', '.cts'].includes(ext) ? toFile.slice(0, -ext.length) : toFile.replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
  const rel = path.posix.relative(path.posix.dirname(fromFile), withoutExt);
  return rel.startsWith('.') ? rel : `./${rel}`;
}
