/**
 * Scan worker: reads and parses a chunk of files with oxc-parser and returns their facts. oxc-parser
 * is ESM-only, so it is loaded with a dynamic import here, in a worker thread, where no CommonJS
 * test transform is involved.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ParseSync } from '../lib/scan/ast';
import { extractFacts } from '../lib/scan/extract-facts';
import type { ExtractRequest, FileFacts } from '../lib/scan/facts';

let parser: Promise<ParseSync> | undefined;

function loadParser(): Promise<ParseSync> {
  parser ??= import('oxc-parser').then((oxc) => oxc.parseSync as unknown as ParseSync);
  return parser;
}

export async function extractFileFacts(request: ExtractRequest): Promise<FileFacts[]> {
  const parseSync = await loadParser();
  return Promise.all(
    request.files.map(async ({ file, test }): Promise<FileFacts> => {
      let source: string;
      try {
        source = await readFile(path.join(request.root, file), 'utf8');
      } catch (error) {
        return { file, exports: [], imports: [], errors: [`cannot read: ${(error as Error).message}`] };
      }
      try {
        return extractFacts(parseSync, file, source, test, request.detail === true);
      } catch (error) {
        return { file, exports: [], imports: [], errors: [`cannot parse: ${(error as Error).message}`] };
      }
    }),
  );
}
