import type { CommitPhaseHook } from './commit';

export type FileChangeKind = 'create' | 'update' | 'delete' | 'unchanged' | 'mkdir' | 'rmdir';

export interface FileChange {
  /** Workspace-relative, forward slashes. */
  path: string;
  kind: FileChangeKind;
}

export interface CommitOptions {
  /** Called at each step of the commit; meant for crash tests. */
  onPhase?: CommitPhaseHook;
}

export interface CommitResult {
  txnId: string;
  /** What the commit changed (writes of identical content show as `unchanged`). */
  changes: FileChange[];
}

export interface EditResult {
  path: string;
  /** Occurrences replaced, over all edits. */
  replacements: number;
}

export type TransactionState = 'open' | 'committing' | 'committed' | 'rolled-back' | 'failed';
