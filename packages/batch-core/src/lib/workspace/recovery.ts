import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errnoCode } from './fs-errors';
import { isCommittingHere, JOURNAL_FOLDER, readManifest, removeJournal, rollBackJournal, sealJournal, txnPid } from './journal';
import { DEFAULT_COMMIT_CONCURRENCY } from './transaction-options';
import type { Workspace } from './workspace';

export interface RecoveredJournal {
  txnId: string;
  /** `rolled-back`: the commit was cut short and its changes were undone; `discarded`: the tree was not affected. */
  outcome: 'rolled-back' | 'discarded';
  /** Originals put back (workspace-relative). */
  restored: string[];
  /** Files the interrupted commit had created, removed. */
  removed: string[];
}

export interface RecoveryReport {
  recovered: RecoveredJournal[];
  /** Journals of commits still running in a live process, left alone. */
  skipped: { txnId: string; reason: string }[];
}

/**
 * Undoes commits that a crash cut short: every journal folder with a manifest is rolled back,
 * newest first; one without a manifest never reached the tree (or had finished) and is deleted.
 * Journals of a live process (this one included) are left alone.
 */
export async function recoverJournals(workspace: Workspace): Promise<RecoveryReport> {
  const report: RecoveryReport = { recovered: [], skipped: [] };
  const journals = path.join(workspace.root, JOURNAL_FOLDER);
  let entries;
  try {
    entries = await fsp.readdir(journals, { withFileTypes: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return report;
    throw error;
  }
  const ids = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort().reverse();
  for (const txnId of ids) {
    const busy = stillRunning(txnId);
    if (busy !== undefined) {
      report.skipped.push({ txnId, reason: busy });
      continue;
    }
    const journalDir = path.join(journals, txnId);
    const manifest = await readManifest(journalDir);
    if (manifest === undefined) {
      await removeJournal(journalDir);
      report.recovered.push({ txnId, outcome: 'discarded', restored: [], removed: [] });
      continue;
    }
    const outcome = await rollBackJournal(journalDir, manifest, (rel) => workspace.resolveReal(rel), DEFAULT_COMMIT_CONCURRENCY);
    await sealJournal(journalDir);
    await removeJournal(journalDir);
    report.recovered.push({ txnId, outcome: 'rolled-back', ...outcome });
  }
  return report;
}

/** Why the journal belongs to a commit that may still be running, or undefined when it cannot be. */
function stillRunning(txnId: string): string | undefined {
  if (isCommittingHere(txnId)) return 'committing in this process';
  const pid = txnPid(txnId);
  if (pid === undefined || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return `process ${pid} is still running`;
  } catch (error) {
    return errnoCode(error) === 'EPERM' ? `process ${pid} is still running` : undefined;
  }
}
