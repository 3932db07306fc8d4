import { SparcError } from '../errors';

/** A commit failed after it started changing the disk; `rolledBack` says whether every original is back. */
export class CommitError extends SparcError {
  constructor(
    readonly txnId: string,
    readonly rolledBack: boolean,
    cause: unknown,
    rollbackError?: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const outcome = rolledBack
      ? 'every file was restored'
      : `rolling back failed too (${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)}); the journal was kept and the next Workspace.open restores the files`;
    super('COMMIT_FAILED', `commit of transaction ${txnId} failed: ${reason}; ${outcome}`, { cause });
  }
}

/** A transaction was used after it was committed, rolled back, or while it was committing. */
export class TransactionClosedError extends SparcError {
  constructor(readonly state: string) {
    super('TRANSACTION_CLOSED', `the transaction is ${state} and cannot be used any more`);
  }
}

/** A journal's manifest could not be read back; recovery stops rather than guess. */
export class JournalCorruptError extends SparcError {
  constructor(readonly journalDir: string, reason: string) {
    super('JOURNAL_CORRUPT', `transaction journal ${journalDir} is unreadable: ${reason}; restore its files by hand from the backups there`);
  }
}
