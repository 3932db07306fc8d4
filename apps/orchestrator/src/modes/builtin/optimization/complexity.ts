import { blankNonCode, lineAt } from '../code-text';

export interface FunctionMetrics {
  name: string;
  /** 1-based line of its start. */
  line: number;
  lines: number;
  /** Cyclomatic complexity: 1 + decision points (if, loops, case, catch, &&, ||, ??, ?:), nested functions included. */
  complexity: number;
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'do', 'else', 'new', 'typeof', 'await', 'yield', 'super']);
const FUNCTION_START = new RegExp(
  [
    String.raw`\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)?\s*(?:<[^>{}()]*>)?\s*\(`,
    String.raw`([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?(?:function\s*\*?\s*[\w$]*\s*)?\(`,
    String.raw`(?<=^|[\s;{},])(?:(?:public|private|protected|static|async|get|set|override|readonly)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>{}()]*>)?\s*\(`,
    String.raw`(?<=^|[\s(,=:])(?:async\s+)?\(`,
  ].join('|'),
  'gm',
);
const DECISIONS = /\b(?:if|for|while|case|catch)\b|&&|\|\||\?\?|\?(?![.?:])/g;

function matchClose(code: string, open: number, openCh: string, closeCh: string): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === openCh) depth++;
    else if (code[i] === closeCh && --depth === 0) return i;
  }
  return -1;
}

/**
 * Functions of a JS/TS file with their size and complexity. A light scanner over the code with
 * comments and strings blanked: it finds declarations, methods and arrow functions with a block
 * body; expression-bodied arrows count toward the function around them.
 */
export function functionMetrics(text: string): FunctionMetrics[] {
  const code = blankNonCode(text, { strings: true });
  const found: FunctionMetrics[] = [];
  const seenBodies = new Set<number>();
  for (const m of code.matchAll(FUNCTION_START)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (m[3] !== undefined && KEYWORDS.has(m[3])) continue;
    const parenOpen = m.index + m[0].length - 1;
    const parenClose = matchClose(code, parenOpen, '(', ')');
    if (parenClose < 0) continue;
    // After the parameters: an optional return type, then `{` (a method) or `=> {` (an arrow).
    const after = /^\s*(?::\s*[^={;]+?)?\s*(=>)?\s*\{/.exec(code.slice(parenClose + 1, parenClose + 300));
    if (!after) continue;
    const isArrow = after[1] !== undefined;
    if (m[3] !== undefined && m[1] === undefined && m[2] === undefined && isArrow && name !== undefined) continue;
    const bodyOpen = parenClose + after[0].length;
    if (seenBodies.has(bodyOpen)) continue;
    const bodyClose = matchClose(code, bodyOpen, '{', '}');
    if (bodyClose < 0) continue;
    seenBodies.add(bodyOpen);
    const body = code.slice(bodyOpen, bodyClose);
    const startLine = lineAt(code, m.index + (m[0].length - m[0].trimStart().length));
    found.push({
      name: name ?? '(anonymous)',
      line: startLine,
      lines: lineAt(code, bodyClose) - startLine + 1,
      complexity: 1 + (body.match(DECISIONS)?.length ?? 0),
    });
  }
  return found;
}

/** Top-level exported names with their lines: what a split would move. */
export function topLevelExports(text: string): Array<{ name: string; line: number }> {
  const code = blankNonCode(text, { strings: true });
  const exports: Array<{ name: string; line: number }> = [];
  for (const m of code.matchAll(/^export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\s*\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) {
    exports.push({ name: m[1], line: lineAt(code, m.index) });
  }
  return exports;
}
