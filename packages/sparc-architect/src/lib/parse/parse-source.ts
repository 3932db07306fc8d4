import { lexModule } from './lex-module';
import { scanSource, ScanBailout } from './scan';
import { langOf, type ParsedSource } from './types';

/**
 * Bumped whenever the scanner or the oxc extraction changes what they report, so cached results
 * from an older version are not reused.
 */
export const PARSER_VERSION = 2;

/** Which parser to use: the scanner with oxc as fallback (`auto`), or oxc for every file. */
export type ParserChoice = 'auto' | 'oxc';

// Its own module so the parse thread can hash without loading the scanner.
export { contentHash } from './content-hash';

export type ScanOutcome = { ok: true; result: ParsedSource } | { ok: false; reason: string; line: number };

/** Scans with the fast scanner; a bailout is reported (not thrown) so the caller can hand the file to oxc. */
export function scanWithBailout(file: string, source: string): ScanOutcome {
  const lexed = lexModule(file, source);
  if (lexed !== undefined) return { ok: true, result: { imports: lexed, parser: 'scan' } };
  return scanWithoutLexer(file, source);
}

/** The scanner alone, for a file es-module-lexer already turned down. */
export function scanWithoutLexer(file: string, source: string): ScanOutcome {
  try {
    return { ok: true, result: { imports: scanSource(source, langOf(file)), parser: 'scan' } };
  } catch (error) {
    if (error instanceof ScanBailout) return { ok: false, reason: error.message, line: lineAt(source, error.pos) };
    throw error;
  }
}

export function lineAt(source: string, pos: number): number {
  let line = 1;
  for (let nl = source.indexOf('\n'); nl >= 0 && nl < pos; nl = source.indexOf('\n', nl + 1)) line++;
  return line;
}
