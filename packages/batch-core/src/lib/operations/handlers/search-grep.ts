import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { defineHandler } from '../registry';
import type { HandlerContext } from '../types';
import { compileMatcher, looksBinary, scanText, type GrepMatch } from './grep-scan';
import { throwIfAborted } from './handler-utils';
import { listEntries } from './search-paths';

/** Files read at the same time: enough to hide disk latency, few enough to keep memory flat. */
const READ_CONCURRENCY = 8;

export const searchGrepParams = z
  .strictObject({
    pattern: z.string().min(1).describe('Text to find (a regular expression when `regex` is true)'),
    regex: z.boolean().default(false).describe('Treat `pattern` as a JavaScript regular expression'),
    ignoreCase: z.boolean().default(false),
    include: z.array(z.string().min(1)).min(1).default(['**/*']).describe('Glob patterns of the files to search'),
    exclude: z.array(z.string().min(1)).default([]).describe('Glob patterns of files to leave out, added to the default ignores'),
    defaultIgnore: z.boolean().default(true).describe('Leave out node_modules, .git and .sparc folders'),
    dot: z.boolean().default(false).describe('Search files and folders whose name starts with a dot'),
    context: z.number().int().min(0).max(100).default(0).describe('Lines of context before and after each match'),
    maxResults: z.number().int().positive().default(1000).describe('Stop after this many matching lines'),
    maxFileBytes: z.number().int().positive().default(2 * 1024 * 1024).describe('Skip files larger than this'),
    cwd: z.string().default('').describe('Folder inside the workspace the globs are relative to (default: the root)'),
  })
  .superRefine((params, issues) => {
    try {
      compileMatcher(params);
    } catch (error) {
      issues.addIssue({ code: 'custom', path: ['pattern'], message: (error as ValidationError).issues[0]?.message ?? String(error) });
    }
  });
export type SearchGrepParams = z.output<typeof searchGrepParams>;

export interface SearchGrepOutput {
  /** Ordered by file, then line. */
  matches: GrepMatch[];
  /** Text files read and scanned. */
  filesSearched: number;
  /** Files left out because they are binary, larger than `maxFileBytes` or unreadable. */
  filesSkipped: number;
  /** True when more than `maxResults` lines matched. */
  truncated: boolean;
}

type FileScan = { skipped: true } | { skipped: false; matches: GrepMatch[] };

async function scanFile(ctx: HandlerContext, file: string, matcher: RegExp, params: SearchGrepParams): Promise<FileScan> {
  throwIfAborted(ctx.signal);
  const abs = path.join(ctx.workspace.root, file);
  let data: Buffer;
  try {
    const stat = await fsp.stat(abs);
    if (!stat.isFile() || stat.size > params.maxFileBytes) return { skipped: true };
    data = await fsp.readFile(abs, { signal: ctx.signal });
  } catch (error) {
    throwIfAborted(ctx.signal);
    // A file removed or locked between listing and reading is left out, as grep -s does.
    if (error instanceof Error && 'code' in error) return { skipped: true };
    throw error;
  }
  if (data.length > params.maxFileBytes || looksBinary(data)) return { skipped: true };
  return { skipped: false, matches: scanText(file, data.toString('utf8'), matcher, params.context, params.maxResults + 1) };
}

/**
 * Searches workspace files line by line. Files are read concurrently, but results only count in
 * file order, so the same tree always gives the same answer, even when `maxResults` stops it early.
 */
export const searchGrepHandler = defineHandler<SearchGrepParams, SearchGrepOutput>({
  type: 'search.grep',
  params: searchGrepParams,
  needsDisk: true,
  readOnly: true,
  async run(params, ctx) {
    const matcher = compileMatcher(params);
    const files = await listEntries(ctx.workspace, {
      patterns: params.include,
      cwd: params.cwd,
      ignore: params.exclude,
      useDefaultIgnore: params.defaultIgnore,
      dot: params.dot,
      onlyFiles: true,
      signal: ctx.signal,
    });

    // One more than asked for tells "exactly maxResults" apart from "more than maxResults".
    const wanted = params.maxResults + 1;
    const scans: (FileScan | undefined)[] = new Array(files.length);
    let nextFile = 0;
    let donePrefix = 0;
    let prefixMatches = 0;
    let enough = false;

    const advancePrefix = () => {
      while (!enough && donePrefix < files.length) {
        const scan = scans[donePrefix];
        if (!scan) return;
        donePrefix++;
        if (!scan.skipped) prefixMatches += scan.matches.length;
        if (prefixMatches >= wanted) enough = true;
      }
    };
    const worker = async () => {
      while (!enough && nextFile < files.length) {
        const index = nextFile++;
        scans[index] = await scanFile(ctx, files[index], matcher, params);
        advancePrefix();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
    } catch (error) {
      enough = true;
      throw error;
    }

    const matches: GrepMatch[] = [];
    let filesSearched = 0;
    let filesSkipped = 0;
    for (let i = 0; i < donePrefix; i++) {
      const scan = scans[i] as FileScan;
      if (scan.skipped) {
        filesSkipped++;
        continue;
      }
      filesSearched++;
      for (const match of scan.matches) matches.push(match);
    }
    const truncated = matches.length > params.maxResults;
    if (truncated) matches.length = params.maxResults;
    return { matches, filesSearched, filesSkipped, truncated };
  },
  describe: (params) => `grep ${params.regex ? '/' + params.pattern + '/' : JSON.stringify(params.pattern)} in ${params.include.join(', ')}`,
});
