import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runBounded } from './bounded';
import type { CommitPlan, PlannedPath, PlannedWrite } from './commit';
import { errnoCode } from './fs-errors';
import { checkOriginal, findUnexpectedEntries, type Original } from './originals';

/** What a transaction has staged, as the planner sees it. Keys are absolute paths. */
export interface StagedState {
  root: string;
  /** Staged content; `null` for a staged deletion. */
  files: ReadonlyMap<string, Buffer | null>;
  /** The original of every path the transaction read or staged over. */
  seen: ReadonlyMap<string, Original>;
  /** Folders made with `mkdir` (value: whether the folder was already on disk then). */
  mkdirs: ReadonlyMap<string, boolean>;
  /** Folders on disk that the transaction removes. */
  removedDirs: ReadonlySet<string>;
  relative(abs: string): string;
}

export type ChangeKind = 'create' | 'update' | 'delete' | 'unchanged';

/** How a staged file differs from its original; undefined when it does not touch the disk at all. */
export function changeKindOf(original: Original, staged: Buffer | null): ChangeKind | undefined {
  if (staged === null) return original.kind === 'file' ? 'delete' : undefined;
  if (original.kind !== 'file') return 'create';
  return original.content.equals(staged) ? 'unchanged' : 'update';
}

/** The writes, deletions and folder changes a commit of `state` makes. Writing identical bytes is no write. */
export async function planCommit(txnId: string, state: StagedState): Promise<CommitPlan> {
  const writes: PlannedWrite[] = [];
  const deletes: PlannedPath[] = [];
  for (const [abs, content] of state.files) {
    const original = state.seen.get(abs);
    if (original === undefined) throw new Error(`internal: no original recorded for ${abs}`);
    const kind = changeKindOf(original, content);
    if (kind === 'delete') deletes.push({ abs, rel: state.relative(abs) });
    else if ((kind === 'create' || kind === 'update') && content !== null) writes.push({ abs, rel: state.relative(abs), content, existed: kind === 'update' });
  }
  const removeDirs = [...state.removedDirs].sort((a, b) => b.length - a.length).map((abs) => ({ abs, rel: state.relative(abs) }));
  const wanted = new Set<string>();
  for (const write of writes) wanted.add(path.dirname(write.abs));
  for (const dir of state.mkdirs.keys()) if (!state.removedDirs.has(dir)) wanted.add(dir);
  const deleted = new Set(deletes.map((del) => del.abs));
  const createDirs = (await missingDirs([...wanted], state.root, deleted)).map((abs) => ({ abs, rel: state.relative(abs) }));
  return { txnId, writes, deletes, createDirs, removeDirs };
}

/**
 * Folders among `wanted` and their ancestors that the commit must create, shallowest first. One
 * stat per distinct folder. A file in the way counts as missing only when the commit deletes it;
 * any other file in the way makes the commit fail (and roll back) when it gets there.
 */
async function missingDirs(wanted: string[], root: string, deleted: ReadonlySet<string>): Promise<string[]> {
  const settled = new Set<string>();
  const missing: string[] = [];
  for (const start of wanted.sort()) {
    for (let dir = start; dir !== root && !settled.has(dir); dir = path.dirname(dir)) {
      settled.add(dir);
      const kind = await diskKind(dir);
      if (kind === 'dir' || (kind === 'other' && !deleted.has(dir))) break;
      missing.push(dir);
    }
  }
  return missing.sort((a, b) => a.length - b.length);
}

async function diskKind(abs: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fsp.stat(abs)).isDirectory() ? 'dir' : 'other';
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/**
 * Paths (workspace-relative, sorted) that changed on disk since the transaction recorded them,
 * plus entries that appeared in folders it removes. Records the current permission bits of every
 * file the plan overwrites, so the new content keeps them.
 */
export async function findConflicts(state: StagedState, plan: CommitPlan, concurrency: number): Promise<string[]> {
  const overwritten = new Map<string, PlannedWrite>();
  for (const write of plan.writes) if (write.existed) overwritten.set(write.abs, write);
  const entries = [...state.seen];
  const conflicts: string[] = [];
  await runBounded(entries.length, concurrency, async (i) => {
    const [abs, original] = entries[i];
    const write = overwritten.get(abs);
    const check = await checkOriginal(abs, original, write !== undefined);
    if (check.changed) conflicts.push(abs);
    else if (write !== undefined) write.mode = check.mode;
  });
  if (state.removedDirs.size > 0) {
    const known = new Set<string>(state.removedDirs);
    for (const [abs, content] of state.files) if (content === null) known.add(abs);
    for (const dir of state.removedDirs) {
      if (!state.removedDirs.has(path.dirname(dir))) conflicts.push(...(await findUnexpectedEntries(dir, known)));
    }
  }
  return conflicts.map((abs) => state.relative(abs)).sort();
}
