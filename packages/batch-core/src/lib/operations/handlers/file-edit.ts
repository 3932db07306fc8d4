import { z } from 'zod';
import { applyEditsCounted } from '../../workspace/apply-edits';
import type { FileStore } from '../../workspace/file-store';
import { defineHandler } from '../registry';
import { throwIfAborted, workspacePath } from './handler-utils';

export const fileEditSchema = z.strictObject({
  old: z.string().min(1, 'must be non-empty text to find'),
  new: z.string(),
  all: z.boolean().optional().describe('Replace every occurrence; without it `old` must occur exactly once'),
});
export type FileEdit = z.output<typeof fileEditSchema>;

export const fileEditParams = z.strictObject({
  path: z.string().min(1, 'must be a non-empty path'),
  edits: z.array(fileEditSchema).min(1, 'needs at least one edit').describe('Applied in order, each to the result of the previous'),
});
export type FileEditParams = z.output<typeof fileEditParams>;

export interface FileEditOutput {
  path: string;
  /** Occurrences replaced, over all edits. */
  replacements: number;
}

/** A store that applies edits itself (a transaction stages them against what it has seen). */
interface EditingFileStore extends FileStore {
  editFile(path: string, edits: FileEdit[]): Promise<unknown>;
}

function canEdit(store: FileStore): store is EditingFileStore {
  return typeof (store as Partial<EditingFileStore>).editFile === 'function';
}

function reportedReplacements(result: unknown): number | undefined {
  if (typeof result === 'number') return result;
  const replacements = (result as { replacements?: unknown } | null | undefined)?.replacements;
  return typeof replacements === 'number' ? replacements : undefined;
}

/**
 * Text replacements in one file: every `old` must be found, and found once unless `all` is set
 * (EDIT_NOT_FOUND / EDIT_AMBIGUOUS), so an edit never lands somewhere it was not meant to.
 */
export const fileEditHandler = defineHandler<FileEditParams, FileEditOutput>({
  type: 'file.edit',
  params: fileEditParams,
  mutatesFiles: true,
  async run(params, ctx) {
    const path = workspacePath(ctx, params.path);
    const before = (await ctx.files.readFile(params.path)).toString('utf8');
    throwIfAborted(ctx.signal);
    if (canEdit(ctx.files)) {
      const result = await ctx.files.editFile(params.path, params.edits);
      return { path, replacements: reportedReplacements(result) ?? applyEditsCounted(path, before, params.edits).replacements };
    }
    const { content, replacements } = applyEditsCounted(path, before, params.edits);
    await ctx.files.writeFile(params.path, content);
    return { path, replacements };
  },
  describe: (params) => `edit ${params.path} (${params.edits.length} edit${params.edits.length === 1 ? '' : 's'})`,
});
