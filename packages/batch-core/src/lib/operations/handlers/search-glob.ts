import { z } from 'zod';
import { defineHandler } from '../registry';
import { listEntries } from './search-paths';

export const searchGlobParams = z.strictObject({
  patterns: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .describe('Glob pattern(s) relative to `cwd`; a leading `!` excludes'),
  cwd: z.string().default('').describe('Folder inside the workspace the patterns are relative to (default: the root)'),
  ignore: z.array(z.string().min(1)).default([]).describe('Glob patterns to leave out, added to the default ignores'),
  defaultIgnore: z.boolean().default(true).describe('Leave out node_modules, .git and .sparc folders'),
  dot: z.boolean().default(false).describe('Match entries whose name starts with a dot'),
  onlyFiles: z.boolean().default(true).describe('List files only; when false, folders are listed too (ending with /)'),
  limit: z.number().int().positive().optional().describe('Return at most this many paths (the first ones in sorted order)'),
});
export type SearchGlobParams = z.output<typeof searchGlobParams>;

export interface SearchGlobOutput {
  /** Workspace-relative paths, sorted. */
  files: string[];
  /** True when `limit` cut the list. */
  truncated: boolean;
}

/** Workspace files matching glob patterns. Needs the disk: it lists what is there, not what is staged. */
export const searchGlobHandler = defineHandler<SearchGlobParams, SearchGlobOutput>({
  type: 'search.glob',
  params: searchGlobParams,
  needsDisk: true,
  readOnly: true,
  async run(params, ctx) {
    const entries = await listEntries(ctx.workspace, {
      patterns: typeof params.patterns === 'string' ? [params.patterns] : params.patterns,
      cwd: params.cwd,
      ignore: params.ignore,
      useDefaultIgnore: params.defaultIgnore,
      dot: params.dot,
      onlyFiles: params.onlyFiles,
      signal: ctx.signal,
    });
    const truncated = params.limit !== undefined && entries.length > params.limit;
    return { files: truncated ? entries.slice(0, params.limit) : entries, truncated };
  },
  describe: (params) => `glob ${([] as string[]).concat(params.patterns).join(', ')}${params.cwd ? ` in ${params.cwd}` : ''}`,
});
