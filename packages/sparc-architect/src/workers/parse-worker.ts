/**
 * Worker entry: parses a chunk of files (reads, hashes and scans each; files the scanner cannot
 * follow go to oxc-parser, loaded once per thread with a dynamic import because it is ESM-only).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractWithOxc, type OxcParseSync } from '../lib/parse/oxc-extract';
import { contentHash, scanWithBailout, type ParserChoice } from '../lib/parse/parse-source';
import type { ParsedSource } from '../lib/parse/types';

export interface ParseChunkTask {
  root: string;
  /** Workspace-relative paths. */
  files: string[];
  parser: ParserChoice;
}

export type ParsedFile = { hash: string; result: ParsedSource } | { readError: string };

let oxc: Promise<OxcParseSync> | undefined;

function loadOxc(): Promise<OxcParseSync> {
  // Kept as a real dynamic import in the CommonJS output (module: node16).
  oxc ??= import('oxc-parser').then((m) => m.parseSync as unknown as OxcParseSync);
  return oxc;
}

export async function parseChunk(task: ParseChunkTask): Promise<ParsedFile[]> {
  const out: ParsedFile[] = [];
  for (const file of task.files) {
    let buffer: Buffer;
    try {
      buffer = readFileSync(path.join(task.root, file));
    } catch (error) {
      out.push({ readError: (error as Error).message });
      continue;
    }
    const hash = contentHash(buffer);
    const source = buffer.toString('utf8');
    if (task.parser === 'auto') {
      const scanned = scanWithBailout(file, source);
      if (scanned.ok) {
        out.push({ hash, result: scanned.result });
        continue;
      }
    }
    out.push({ hash, result: extractWithOxc(await loadOxc(), file, source) });
  }
  return out;
}

/** oxc alone, for files the main thread's scanner could not follow (their content is already read). */
export async function parseWithOxc(task: { files: Array<{ path: string; source: string }> }): Promise<ParsedSource[]> {
  const parseSync = await loadOxc();
  return task.files.map((f) => extractWithOxc(parseSync, f.path, f.source));
}
