import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors';
import type { TextEdit } from '../workspace/apply-edits';
import { runBounded } from '../workspace/bounded';
import type { FileChange, FileTransaction } from '../workspace/transaction';
import type { Workspace } from '../workspace/workspace';

export interface FileToCreate {
  path: string;
  content: string | Uint8Array;
}

export interface CreateFilesOptions {
  /** Replace files that exist with different content. @default false */
  overwrite?: boolean;
  /** Work out the changes and the diff, write nothing. @default false */
  dryRun?: boolean;
}

export interface FileModification {
  path: string;
  /** Applied in order, each to the result of the previous. */
  edits: TextEdit[];
}

export interface ModifyFilesOptions {
  /** Work out the changes and the diff, write nothing. @default false */
  dryRun?: boolean;
}

export interface FileChangeSet {
  /** Every file involved, sorted by path; identical rewrites show as `unchanged`. */
  changes: FileChange[];
  /** Unified diff of what changes (or would change, in a dry run). */
  diff: string;
  committed: boolean;
}

/** Files staged at the same time: each staging waits on a path lookup and a read. */
const STAGING_CONCURRENCY = 16;

const filesSchema = z.array(z.object({ path: z.string().min(1, 'must be a non-empty path'), content: z.union([z.string(), z.instanceof(Uint8Array)]) }));
const createOptionsSchema = z.strictObject({ overwrite: z.boolean().optional(), dryRun: z.boolean().optional() });
const changesSchema = z.array(
  z.object({
    path: z.string().min(1, 'must be a non-empty path'),
    edits: z.array(z.object({ old: z.string().min(1, 'must be non-empty text to find'), new: z.string(), all: z.boolean().optional() })).min(1, 'needs at least one edit'),
  }),
);
const modifyOptionsSchema = z.strictObject({ dryRun: z.boolean().optional() });

/**
 * Creates files in one transaction: all of them or none. A file that exists with different
 * content fails the call (FILE_EXISTS) unless `overwrite`; the same content is accepted.
 */
export async function createFiles(workspace: Workspace, files: readonly FileToCreate[], options: CreateFilesOptions = {}): Promise<FileChangeSet> {
  const list = parse(filesSchema, files, 'files');
  const opts = parse(createOptionsSchema, options, 'options');
  assertDistinctPaths(workspace, list, 'files');
  const overwrite = opts.overwrite ?? false;
  return inTransaction(workspace, opts.dryRun ?? false, (txn) =>
    runBounded(list.length, STAGING_CONCURRENCY, (i) => txn.writeFile(list[i].path, list[i].content, { overwrite })),
  );
}

/**
 * Applies text edits to files in one transaction: when any edit of any file fails
 * (EDIT_NOT_FOUND, EDIT_AMBIGUOUS, a missing file), no file changes. Several entries for the
 * same file apply in the order given.
 */
export async function modifyFiles(workspace: Workspace, changes: readonly FileModification[], options: ModifyFilesOptions = {}): Promise<FileChangeSet> {
  const list = parse(changesSchema, changes, 'changes');
  const opts = parse(modifyOptionsSchema, options, 'options');
  const byFile = new Map<string, FileModification[]>();
  for (const change of list) {
    const key = workspace.resolve(change.path);
    const group = byFile.get(key);
    if (group) group.push(change);
    else byFile.set(key, [change]);
  }
  const groups = [...byFile.values()];
  return inTransaction(workspace, opts.dryRun ?? false, (txn) =>
    runBounded(groups.length, STAGING_CONCURRENCY, async (i) => {
      for (const change of groups[i]) await txn.editFile(change.path, change.edits);
    }),
  );
}

async function inTransaction(workspace: Workspace, dryRun: boolean, stage: (txn: FileTransaction) => Promise<void>): Promise<FileChangeSet> {
  const txn = workspace.transaction();
  try {
    await stage(txn);
    const changes = txn.changes();
    const diff = txn.diff();
    if (dryRun) {
      txn.rollback();
      return { changes, diff, committed: false };
    }
    await txn.commit();
    return { changes, diff, committed: true };
  } catch (error) {
    txn.rollback();
    throw error;
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: ValidationIssue[] = parsed.error.issues.map((issue) => ({ path: [name, ...issue.path].map(String).join('.'), message: issue.message }));
  throw new ValidationError(`invalid ${name}: ${issues[0].path}: ${issues[0].message}`, issues);
}

function assertDistinctPaths(workspace: Workspace, files: readonly { path: string }[], name: string): void {
  const first = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  files.forEach((file, i) => {
    const key = workspace.resolve(file.path);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else issues.push({ path: `${name}.${i}.path`, message: `same file as ${name}.${earlier}.path (${file.path})` });
  });
  if (issues.length > 0) throw new ValidationError(`invalid ${name}: ${issues[0].path}: ${issues[0].message}`, issues);
}
