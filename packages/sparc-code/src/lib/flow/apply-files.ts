import type { FileTransaction, WorkerPool, Workspace } from '@sparc/batch-core';
import { DuplicateOutputError } from '../errors';
import type { GeneratedFile } from '../generate/types';
import { mapBounded } from '../util/bounded';
import { formatWithWorkspacePrettier, type FormatReport } from './prettier';

export type ConflictPolicy = 'skip' | 'overwrite' | 'fail';

/** What happened (or, in a dry run, would happen) to one file. */
export type FileAction = 'create' | 'update' | 'unchanged' | 'skip' | 'conflict';

export interface FileOutcome {
  path: string;
  action: FileAction;
  /** Why a file was skipped or is a conflict. */
  reason?: string;
}

export interface ApplyOptions {
  /** What to do with a file that exists with other content. @default 'fail' */
  conflict?: ConflictPolicy;
  /** Work everything out, diff it, write nothing. @default false */
  dryRun?: boolean;
  /** Format with the workspace's Prettier when it has one. @default true */
  format?: boolean;
  /** Formatting runs in this pool when given (a function is only called when the workspace has a Prettier). */
  pool?: WorkerPool | (() => WorkerPool);
  signal?: AbortSignal;
}

export interface ApplyResult {
  /** Every file, sorted by path. */
  files: FileOutcome[];
  created: string[];
  updated: string[];
  unchanged: string[];
  skipped: string[];
  conflicts: string[];
  /** Unified diff of what was staged: set in a dry run only. */
  diff?: string;
  /** Whether anything reached the disk. */
  committed: boolean;
  format: FormatReport;
}

/** Files read and staged at once: each waits on a path lookup and a read. */
const STAGING_CONCURRENCY = 32;

type Current = { kind: 'absent' } | { kind: 'file'; content: Buffer } | { kind: 'directory' };

/**
 * The generation flow: formats the files with the workspace's Prettier, compares each with what is
 * on disk, applies the conflict policy (identical content is never a conflict), and stages the
 * rest in one transaction. Conflicts under `fail` (or a folder where a file should go) leave the
 * disk untouched; a dry run returns the diff and writes nothing; otherwise one atomic commit.
 */
export async function applyGeneratedFiles(workspace: Workspace, files: readonly GeneratedFile[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const policy = options.conflict ?? 'fail';
  const paths = normalizedPaths(workspace, files);

  const plain = files.filter((f): f is Extract<GeneratedFile, { content: string }> => 'content' in f);
  const formatting = options.format === false ? undefined : await formatWithWorkspacePrettier({ root: workspace.root, files: plain, pool: options.pool, signal: options.signal });
  const format: FormatReport = formatting?.report ?? { prettier: null, formatted: 0, failures: [] };
  options.signal?.throwIfAborted();

  const txn = workspace.transaction();
  try {
    const staged = await mapBounded(files, STAGING_CONCURRENCY, (file, i) => stage(txn, file, paths[i], formatting?.contents.get(file.path), policy));
    // What a staged write amounts to (create, update, or identical content) is the transaction's call.
    const kinds = new Map(txn.changes().map((change) => [change.path, change.kind]));
    const outcomes = staged.map((outcome): FileOutcome => {
      if (outcome.action !== 'staged') return outcome;
      const kind = kinds.get(outcome.path);
      return { path: outcome.path, action: kind === 'create' ? 'create' : kind === 'update' ? 'update' : 'unchanged' };
    });
    outcomes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const pick = (action: FileAction) => outcomes.filter((o) => o.action === action).map((o) => o.path);
    const result: ApplyResult = {
      files: outcomes,
      created: pick('create'),
      updated: pick('update'),
      unchanged: pick('unchanged'),
      skipped: pick('skip'),
      conflicts: pick('conflict'),
      committed: false,
      format,
    };
    if (options.dryRun) {
      result.diff = txn.diff();
      txn.rollback();
      return result;
    }
    if (result.conflicts.length > 0 || result.created.length + result.updated.length === 0) {
      txn.rollback();
      return result;
    }
    options.signal?.throwIfAborted();
    await txn.commit();
    result.committed = true;
    return result;
  } catch (error) {
    if (txn.state === 'open') txn.rollback();
    throw error;
  }
}

type StageOutcome = FileOutcome | { path: string; action: 'staged' };

/**
 * Stages one file, or says why not. A plain write is staged with `overwrite: false` unless the
 * policy is `overwrite`, so the transaction itself refuses a file that exists with other content
 * (FILE_EXISTS) while accepting identical content; one lookup and one read per file.
 */
async function stage(txn: FileTransaction, file: GeneratedFile, path: string, formatted: string | undefined, policy: ConflictPolicy): Promise<StageOutcome> {
  if ('patch' in file) {
    const current = await readCurrent(txn, path);
    if (current.kind === 'directory') return { path, action: policy === 'skip' ? 'skip' : 'conflict', reason: 'a folder is in the way' };
    const existing = current.kind === 'file' ? current.content : undefined;
    const next = Buffer.from(file.patch(existing?.toString('utf8')));
    if (existing?.equals(next)) return { path, action: 'unchanged' };
    await txn.writeFile(path, next);
    return { path, action: 'staged' };
  }
  const replace = policy === 'overwrite' && !file.ifMissing;
  try {
    await txn.writeFile(path, formatted ?? file.content, replace ? {} : { overwrite: false });
    return { path, action: 'staged' };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EISDIR') return { path, action: policy === 'skip' ? 'skip' : 'conflict', reason: 'a folder is in the way' };
    if (code !== 'FILE_EXISTS') throw error;
    if (file.ifMissing) return { path, action: 'skip', reason: 'exists (shared file, left as it is)' };
    if (policy === 'skip') return { path, action: 'skip', reason: 'exists with different content' };
    return { path, action: 'conflict', reason: 'exists with different content' };
  }
}

/** What is at `p` as the transaction sees it (recording the original, so a later change on disk is a conflict at commit). */
async function readCurrent(txn: FileTransaction, p: string): Promise<Current> {
  try {
    return { kind: 'file', content: await txn.readFile(p) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    if (code === 'EISDIR') return { kind: 'directory' };
    throw error;
  }
}

/** The workspace-relative form of every path (what the transaction reports), refusing two files at one path. */
function normalizedPaths(workspace: Workspace, files: readonly GeneratedFile[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const paths = files.map((file) => {
    const rel = workspace.relative(workspace.resolve(file.path));
    if (seen.has(rel)) duplicates.add(rel);
    seen.add(rel);
    return rel;
  });
  if (duplicates.size > 0) throw new DuplicateOutputError([...duplicates].sort());
  return paths;
}
