import type { PackedImport, SourceLang } from '../types';
import { Scanner } from './scanner';

export { ScanBailout } from './tokenizer';

/**
 * Imports of one source text, by the scanner. Throws ScanBailout when the text holds something the
 * scanner cannot follow (a syntax error, or syntax it does not know); callers then use oxc.
 */
export function scanSource(source: string, lang: SourceLang): PackedImport[] {
  return new Scanner(source, lang).run();
}
