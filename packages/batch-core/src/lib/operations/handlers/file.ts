import { z } from 'zod';
import { OperationError } from '../../errors';
import { defineHandler } from '../registry';
import type { HandlerContext } from '../types';
import { throwIfAborted, workspacePath } from './handler-utils';

/**
 * File operations. Every access goes through `ctx.files`, which is the workspace itself or, in an
 * atomic batch, the batch's transaction: that is what makes a whole batch all-or-nothing.
 */

const pathSchema = z.string().min(1, 'must be a non-empty path').describe('Workspace-relative path');
const encodingSchema = z.enum(['utf8', 'base64']).default('utf8').describe('How `content` is encoded');

async function refuseExisting(ctx: HandlerContext, to: string, verb: string): Promise<void> {
  if (await ctx.files.exists(to)) {
    throw new OperationError('FILE_EXISTS', `cannot ${verb} "${to}": it already exists (pass overwrite: true to replace it)`, { details: { path: to } });
  }
}

export const fileReadParams = z.strictObject({ path: pathSchema, encoding: encodingSchema });
export type FileReadParams = z.output<typeof fileReadParams>;
export interface FileReadOutput {
  path: string;
  content: string;
  bytes: number;
}

export const fileReadHandler = defineHandler<FileReadParams, FileReadOutput>({
  type: 'file.read',
  readOnly: true,
  params: fileReadParams,
  async run(params, ctx) {
    const path = workspacePath(ctx, params.path);
    const data = await ctx.files.readFile(params.path);
    return { path, content: data.toString(params.encoding), bytes: data.length };
  },
  describe: (params) => `read ${params.path}`,
});

export const fileWriteParams = z.strictObject({
  path: pathSchema,
  content: z.string(),
  encoding: encodingSchema,
  overwrite: z.boolean().default(true).describe('Replace an existing file'),
});
export type FileWriteParams = z.output<typeof fileWriteParams>;
export interface FileWriteOutput {
  path: string;
  bytes: number;
}

export const fileWriteHandler = defineHandler<FileWriteParams, FileWriteOutput>({
  type: 'file.write',
  params: fileWriteParams,
  mutatesFiles: true,
  async run(params, ctx) {
    const path = workspacePath(ctx, params.path);
    if (!params.overwrite) await refuseExisting(ctx, params.path, 'write');
    const data = Buffer.from(params.content, params.encoding);
    throwIfAborted(ctx.signal);
    await ctx.files.writeFile(params.path, data);
    return { path, bytes: data.length };
  },
  describe: (params) => `write ${params.path}`,
});

export const fileMkdirParams = z.strictObject({ path: pathSchema });
export type FileMkdirParams = z.output<typeof fileMkdirParams>;

export const fileMkdirHandler = defineHandler<FileMkdirParams, { path: string }>({
  type: 'file.mkdir',
  params: fileMkdirParams,
  mutatesFiles: true,
  async run(params, ctx) {
    const path = workspacePath(ctx, params.path);
    await ctx.files.mkdir(params.path);
    return { path };
  },
  describe: (params) => `create folder ${params.path}`,
});

export const fileDeleteParams = z.strictObject({
  path: pathSchema,
  recursive: z.boolean().default(false).describe('Delete a folder and everything in it'),
  force: z.boolean().default(false).describe('Succeed when the path does not exist'),
});
export type FileDeleteParams = z.output<typeof fileDeleteParams>;

export const fileDeleteHandler = defineHandler<FileDeleteParams, { path: string }>({
  type: 'file.delete',
  params: fileDeleteParams,
  mutatesFiles: true,
  async run(params, ctx) {
    const path = workspacePath(ctx, params.path);
    await ctx.files.deletePath(params.path, { recursive: params.recursive, force: params.force });
    return { path };
  },
  describe: (params) => `delete ${params.path}${params.recursive ? ' (recursive)' : ''}`,
});

export const fileTransferParams = z.strictObject({
  from: pathSchema,
  to: pathSchema,
  overwrite: z.boolean().default(false).describe('Replace an existing destination'),
});
export type FileTransferParams = z.output<typeof fileTransferParams>;
export interface FileTransferOutput {
  from: string;
  to: string;
}

export const fileCopyHandler = defineHandler<FileTransferParams, FileTransferOutput>({
  type: 'file.copy',
  params: fileTransferParams,
  mutatesFiles: true,
  async run(params, ctx) {
    const result = { from: workspacePath(ctx, params.from), to: workspacePath(ctx, params.to) };
    if (!params.overwrite) await refuseExisting(ctx, params.to, 'copy to');
    await ctx.files.copyPath(params.from, params.to, { overwrite: params.overwrite });
    return result;
  },
  describe: (params) => `copy ${params.from} to ${params.to}`,
});

export const fileMoveHandler = defineHandler<FileTransferParams, FileTransferOutput>({
  type: 'file.move',
  params: fileTransferParams,
  mutatesFiles: true,
  async run(params, ctx) {
    const result = { from: workspacePath(ctx, params.from), to: workspacePath(ctx, params.to) };
    if (!params.overwrite) await refuseExisting(ctx, params.to, 'move to');
    await ctx.files.movePath(params.from, params.to, { overwrite: params.overwrite });
    return result;
  },
  describe: (params) => `move ${params.from} to ${params.to}`,
});
