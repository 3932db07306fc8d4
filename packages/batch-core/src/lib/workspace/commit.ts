import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { runBounded } from './bounded';
import { syncDir, syncFile } from './durable-fs';
import { errnoCode } from './fs-errors';
import { journalDirOf, markCommitting, removeJournal, rollBackJournal, sealJournal, tempNameFor, writeJournal, type JournalBackup, type JournalManifest } from './journal';
import { CommitError } from './transaction-errors';

export interface PlannedWrite {
  abs: string;
  /** Workspace-relative, forward slashes. */
  rel: string;
  content: Buffer;
  /** A file was there before (it is backed up, and its permission bits carried over). */
  existed: boolean;
  mode?: number;
}

export interface PlannedPath {
  abs: string;
  rel: string;
}

/** Everything a commit does to the tree, worked out before any of it happens. */
export interface CommitPlan {
  txnId: string;
  writes: PlannedWrite[];
  deletes: PlannedPath[];
  /** Shallowest first. */
  createDirs: PlannedPath[];
  /** Deepest first. */
  removeDirs: PlannedPath[];
}

/**
 * Points a commit passes, for crash tests: `journal-written`, `deleted` (per file), `dirs-ready`,
 * `temp-written` and `temp-synced` (per file), `renamed` (per file), `synced`, `before-cleanup`,
 * then — past the commit point, when a crash no longer rolls anything back — `committed` and
 * `cleaned-up`.
 */
export type CommitPhase =
  | 'journal-written'
  | 'deleted'
  | 'dirs-ready'
  | 'temp-written'
  | 'temp-synced'
  | 'renamed'
  | 'synced'
  | 'before-cleanup'
  | 'committed'
  | 'cleaned-up';

/** Called at each phase. A hook that throws before `committed` makes the commit fail and roll back. */
export type CommitPhaseHook = (phase: CommitPhase, detail?: { index: number }) => void | Promise<void>;

export interface ApplyCommitOptions {
  root: string;
  /** Maps a manifest path back to an absolute path inside the workspace (used when rolling back). */
  resolve: (rel: string) => Promise<string>;
  concurrency: number;
  onPhase?: CommitPhaseHook;
}

/**
 * Carries out a plan with a journal, so a failure at any step — or a crash, via recovery —
 * leaves the tree as it was. Deletions and folder removals go first so that a path can change
 * from file to folder (or back) within one commit; new content is written to temp files beside
 * the targets, fsynced (with the permission bits of the file it replaces), then renamed into
 * place; the touched folders are fsynced before the manifest is removed: the commit point.
 */
export async function applyCommit(plan: CommitPlan, options: ApplyCommitOptions): Promise<void> {
  const { txnId, writes, deletes } = plan;
  const { root, concurrency } = options;
  const temps = writes.map((write, i) => path.join(path.dirname(write.abs), tempNameFor(write.abs, txnId, i)));
  const manifest: JournalManifest = {
    version: 1,
    txnId,
    pid: process.pid,
    hostname: hostname(),
    createdAt: new Date().toISOString(),
    targets: [
      ...writes.map((write, i) => ({ path: write.rel, existed: write.existed, backup: write.existed ? `b${i}` : undefined, temp: path.basename(temps[i]) })),
      ...deletes.map((del, i) => ({ path: del.rel, existed: true, backup: `b${writes.length + i}` })),
    ],
    createdDirs: plan.createDirs.map((dir) => dir.rel),
    removedDirs: plan.removeDirs.map((dir) => dir.rel),
  };
  const backups: JournalBackup[] = [];
  manifest.targets.forEach((target, i) => {
    if (target.backup !== undefined) backups.push({ source: i < writes.length ? writes[i].abs : deletes[i - writes.length].abs, name: target.backup });
  });
  const phase = async (name: CommitPhase, index?: number) => {
    if (options.onPhase) await options.onPhase(name, index === undefined ? undefined : { index });
  };

  const journalDir = journalDirOf(root, txnId);
  let journalWritten = false;
  markCommitting(txnId, true);
  try {
    try {
      await writeJournal(root, manifest, backups, concurrency);
      journalWritten = true;
      await phase('journal-written');
      await runBounded(deletes.length, concurrency, async (i) => {
        await fsp.unlink(deletes[i].abs);
        await phase('deleted', i);
      });
      for (const dir of plan.removeDirs) await fsp.rmdir(dir.abs);
      for (const dir of plan.createDirs) await makeDir(dir.abs);
      await phase('dirs-ready');
      // All writes first, then all fsyncs: the first fsync's journal commit carries most of the
      // other files' data along, so the rest return quickly. Interleaving the two is slower.
      await runBounded(writes.length, concurrency, async (i) => {
        await fsp.writeFile(temps[i], writes[i].content);
        await phase('temp-written', i);
      });
      await runBounded(writes.length, concurrency, async (i) => {
        await syncFile(temps[i], writes[i].mode);
        await phase('temp-synced', i);
      });
      await runBounded(writes.length, concurrency, async (i) => {
        await fsp.rename(temps[i], writes[i].abs);
        await phase('renamed', i);
      });
      const dirs = touchedDirs(plan);
      await runBounded(dirs.length, concurrency, (i) => syncDir(dirs[i]));
      await phase('synced');
      await phase('before-cleanup');
      await sealJournal(journalDir);
    } catch (error) {
      let rollbackError: unknown;
      try {
        // Until the manifest is durable the tree is untouched: dropping the journal is enough.
        if (journalWritten) {
          await rollBackJournal(journalDir, manifest, options.resolve, concurrency);
          await sealJournal(journalDir);
        }
        await removeJournal(journalDir);
      } catch (failure) {
        rollbackError = failure;
      }
      throw new CommitError(txnId, rollbackError === undefined, error, rollbackError);
    }
    await phase('committed');
    try {
      await removeJournal(journalDir);
    } catch {
      // The commit is complete; a journal without a manifest is only deleted by the next recovery.
    }
    await phase('cleaned-up');
  } finally {
    markCommitting(txnId, false);
  }
}

/** mkdir that accepts a folder already there (a symlink to one included), and nothing else. */
async function makeDir(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    const stat = await fsp.stat(dir);
    if (!stat.isDirectory()) throw error;
  }
}

function touchedDirs(plan: CommitPlan): string[] {
  const dirs = new Set<string>();
  for (const write of plan.writes) dirs.add(path.dirname(write.abs));
  for (const del of plan.deletes) dirs.add(path.dirname(del.abs));
  for (const dir of plan.createDirs) dirs.add(path.dirname(dir.abs));
  for (const dir of plan.removeDirs) dirs.add(path.dirname(dir.abs));
  // A removed folder is gone: its parent is synced instead.
  for (const dir of plan.removeDirs) dirs.delete(dir.abs);
  return [...dirs];
}
