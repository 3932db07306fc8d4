import * as path from 'node:path';

const FRAME = /((?:[A-Za-z]:)?[^\s()'"`:]*[^\s()'"`:/]\.(?:[cm]?[jt]sx?)):(\d+)(?::\d+)?/g;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const BABEL_SYNTAX = /SyntaxError: (\S+?): [^\n]*\((\d+):\d+\)/;

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
}

/**
 * The first `file:line` in `text` (a stack trace, a failure message, a log) that points at a
 * workspace file outside node_modules. Relative paths are read against `base`. `prefer`
 * (absolute) wins when it appears: the test file itself rather than a helper it called.
 */
export function locate(text: string, root: string, base: string, prefer?: string): { file: string; line: number } | undefined {
  const syntax = BABEL_SYNTAX.exec(text);
  if (syntax) {
    const file = path.resolve(base, syntax[1]);
    if (inside(root, file)) return { file: path.relative(root, file).split(path.sep).join('/'), line: Number(syntax[2]) };
  }
  let first: { file: string; line: number } | undefined;
  for (const match of text.matchAll(FRAME)) {
    const file = path.resolve(base, match[1].replace(/^file:\/\//, ''));
    if (!inside(root, file)) continue;
    const found = { file: path.relative(root, file).split(path.sep).join('/'), line: Number(match[2]) };
    if (prefer === undefined || file === prefer) return found;
    first ??= found;
  }
  return first;
}

/** The first meaningful line of a failure message, without ANSI colours. */
export function firstLine(message: string): string {
  const clean = message.replace(ANSI, '');
  const lines = clean.split('\n').map((l) => l.trim());
  let line = (lines.find((l) => l !== '' && !l.startsWith('●')) ?? clean.trim()).replace(/^Error: /, '');
  // jest's matcher messages say what was expected on the next lines: worth one line too.
  const expected = lines.find((l) => l.startsWith('Expected:'));
  const received = lines.find((l) => l.startsWith('Received:'));
  if (expected && received) line += ` (${expected.replace(/\s+/g, ' ')}, ${received.replace(/\s+/g, ' ')})`;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
