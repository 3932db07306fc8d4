import { ConflictError, type Workspace } from '@sparc/batch-core';
import { mapBounded } from '../util/bounded';
import type { SourceFile } from './select-files';

export interface ChangedFile extends SourceFile {
  /** The content the codemod produced. */
  output: string;
}

export interface StagedChanges {
  committed: boolean;
  /** Unified diff, in a dry run. */
  diff?: string;
}

const STAGING_CONCURRENCY = 32;

/**
 * Stages the changed files in one transaction and commits them atomically (or, in a dry run,
 * returns their diff and writes nothing). A file whose disk content is no longer the source the
 * codemod saw is a ConflictError before anything is written; the transaction itself catches
 * changes made after staging, up to the commit.
 */
export async function commitChanges(workspace: Workspace, changed: readonly ChangedFile[], options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<StagedChanges> {
  const txn = workspace.transaction();
  try {
    const moved: string[] = [];
    await mapBounded(changed, STAGING_CONCURRENCY, async (file) => {
      // Reading through the transaction records the original it guards at commit time.
      const now = (await txn.readFile(file.path)).toString('utf8');
      if (now !== file.source) moved.push(file.path);
      else await txn.writeFile(file.path, file.output);
    });
    if (moved.length > 0) throw new ConflictError(moved.sort());
    if (options.dryRun) {
      const diff = txn.diff();
      txn.rollback();
      return { committed: false, diff };
    }
    options.signal?.throwIfAborted();
    if (changed.length === 0) {
      txn.rollback();
      return { committed: false };
    }
    await txn.commit();
    return { committed: true };
  } catch (error) {
    if (txn.state === 'open') txn.rollback();
    throw error;
  }
}
