import { LineIndex, type ParseResultLike, type ParseSync } from './ast';
import { topLevelDeclarations } from './declarations';
import { commonJsExports, exportFacts } from './export-facts';
import type { FileFacts } from './facts';
import { importFacts } from './import-facts';

/** Most parser messages kept per file: the first ones say what is wrong. */
const MAX_ERRORS = 3;

/**
 * Parses one file and keeps what the scan needs: a source module's value exports, a test file's
 * imports. Runs in the scan workers, with oxc-parser's `parseSync` passed in. Reading the AST
 * (oxc deserializes it on first access) costs several times the parse, so it is touched only when
 * the module record is not enough: `detail` (parameters and methods for todos), CommonJS exports,
 * and tests that `require`, `import()` or bind a whole module.
 */
export function extractFacts(parseSync: ParseSync, file: string, source: string, isTest: boolean, detail = false): FileFacts {
  const parsed = parseSync(file, source, { preserveParens: false });
  const errors = parsed.errors.slice(0, MAX_ERRORS).map((e) => e.message);
  if (isTest) return { file, exports: [], imports: importFacts(parsed, needsTestAst(parsed, source)), errors };
  if (!parsed.module.hasModuleSyntax) {
    if (!/\bexports\b/.test(source)) return { file, exports: [], imports: [], errors };
    const lines = new LineIndex(source);
    return { file, exports: commonJsExports(parsed.program.body, topLevelDeclarations(parsed.program.body, lines), lines), imports: [], errors };
  }
  if (parsed.module.staticExports.length === 0) return { file, exports: [], imports: [], errors };
  const lines = new LineIndex(source);
  const declared = detail ? topLevelDeclarations(parsed.program.body, lines) : undefined;
  return { file, exports: exportFacts(parsed, declared, lines, source), imports: [], errors };
}

function needsTestAst(parsed: ParseResultLike, source: string): boolean {
  if ((parsed.module.dynamicImports?.length ?? 0) > 0 || /\brequire(Actual)?\s*\(/.test(source)) return true;
  return parsed.module.staticImports.some((s) => s.entries.some((e) => !e.isType && e.importName.kind === 'NamespaceObject'));
}
