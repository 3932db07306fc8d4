import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { forEach, type ModeContext } from '@sparc/batch-core';

/** Build output and generated folders: not what people wrote. */
export const GENERATED_DIRS = ['**/dist/**', '**/build/**', '**/coverage/**', '**/out/**', '**/.next/**', '**/.nx/**', '**/.turbo/**'];
export const CODE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];
export const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/;

export interface SourceFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  text: string;
  bytes: number;
}

export interface ListOptions {
  patterns: string[];
  ignore?: string[];
  dot?: boolean;
  /** Larger files are listed as skipped, not read. */
  maxBytes?: number;
}

/**
 * Lists files through the engine (`search.glob`: node_modules, .git and .sparc are left out) and
 * reads them concurrently. Binary files (a NUL byte) and files over `maxBytes` are skipped.
 */
export async function readSourceFiles(ctx: ModeContext, options: ListOptions): Promise<{ files: SourceFile[]; skipped: string[] }> {
  const listing = await ctx.engine.run(
    { operations: [{ id: 'list', type: 'search.glob', params: { patterns: options.patterns, ignore: [...GENERATED_DIRS, ...(options.ignore ?? [])], dot: options.dot ?? false } }] },
    { signal: ctx.signal },
  );
  const result = listing.results[0];
  if (result?.status !== 'succeeded') throw new Error(`listing files failed: ${result?.error?.message ?? result?.status ?? 'no result'}`);
  const paths = (result.output as { files: string[] }).files;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const skipped: string[] = [];
  const read = await forEach(
    paths,
    async (relative): Promise<SourceFile | undefined> => {
      const abs = path.join(ctx.workspace.root, relative);
      try {
        const stat = await fsp.stat(abs);
        if (stat.size > maxBytes) {
          skipped.push(relative);
          return undefined;
        }
        const buffer = await fsp.readFile(abs);
        if (buffer.includes(0)) return undefined;
        return { path: relative, text: buffer.toString('utf8'), bytes: stat.size };
      } catch {
        // Deleted or unreadable since it was listed: one file does not stop the scan.
        skipped.push(relative);
        return undefined;
      }
    },
    { concurrency: 16, signal: ctx.signal },
  );
  return { files: read.filter((f): f is SourceFile => f !== undefined), skipped };
}

/** Line count the way editors show it (a trailing newline does not start a line). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}
