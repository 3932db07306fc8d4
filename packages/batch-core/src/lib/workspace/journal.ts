import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runBounded } from './bounded';
import { syncDir, syncFile, writeFileDurably } from './durable-fs';
import { errnoCode, ignoring } from './fs-errors';
import type { JournalManifest } from './journal-schema';
import { JournalCorruptError } from './transaction-errors';

/**
 * The journal of a commit: `<root>/.sparc/txn/<txn-id>/` holds a backup of every original the
 * commit overwrites or deletes, and `manifest.json`, which names every path the commit touches.
 * The manifest appears by rename, so it exists whole or not at all; the tree is only touched
 * once it is durable, and removing it is the commit point. Hence:
 *   - a journal with a manifest: the tree may be half changed; `rollBackJournal` undoes it;
 *   - a journal without one: the tree was not touched (or the commit completed); it is deleted.
 */
export const JOURNAL_FOLDER = path.join('.sparc', 'txn');
export const MANIFEST_FILE = 'manifest.json';
const MANIFEST_TEMP = 'manifest.json.tmp';

export type { JournalManifest, JournalTarget } from './journal-schema';

export interface JournalBackup {
  /** Absolute path of the original. */
  source: string;
  /** File name inside the journal folder. */
  name: string;
}

export interface RollbackOutcome {
  /** Originals put back in place. */
  restored: string[];
  /** Files the commit had created, removed again. */
  removed: string[];
}

/** Transactions this process is committing right now: recovery must not roll them back. */
const committingHere = new Set<string>();

/** Time first (ids sort by age), then the pid (recovery asks whether it is alive), then randomness. */
export function newTxnId(): string {
  return `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function txnPid(txnId: string): number | undefined {
  const match = /^[0-9a-z]+-(\d+)-[0-9a-f]+$/.exec(txnId);
  return match ? Number(match[1]) : undefined;
}

export function journalDirOf(root: string, txnId: string): string {
  return path.join(root, JOURNAL_FOLDER, txnId);
}

/** `.<name>.sparc-tmp-<txn-id>` beside the target; a shorter name when that would be too long. */
export function tempNameFor(target: string, txnId: string, index: number): string {
  const name = `.${path.basename(target)}.sparc-tmp-${txnId}`;
  return Buffer.byteLength(name) <= 255 ? name : `.sparc-tmp-${txnId}-${index}`;
}

export function markCommitting(txnId: string, committing: boolean): void {
  if (committing) committingHere.add(txnId);
  else committingHere.delete(txnId);
}

export function isCommittingHere(txnId: string): boolean {
  return committingHere.has(txnId);
}

/**
 * Creates the journal: backups first, then the manifest (temp name, fsync, rename), then fsyncs
 * the journal folder and the folders above it that were just created, so that all of it is
 * durable before the first change to the tree.
 */
export async function writeJournal(root: string, manifest: JournalManifest, backups: readonly JournalBackup[], concurrency: number): Promise<string> {
  const journalDir = journalDirOf(root, manifest.txnId);
  const firstCreated = await fsp.mkdir(journalDir, { recursive: true });
  await runBounded(backups.length, concurrency, (i) => backUp(backups[i].source, path.join(journalDir, backups[i].name)));
  const temp = path.join(journalDir, MANIFEST_TEMP);
  await writeFileDurably(temp, Buffer.from(JSON.stringify(manifest)));
  await fsp.rename(temp, path.join(journalDir, MANIFEST_FILE));
  await syncDir(journalDir);
  for (let dir = journalDir; ; dir = path.dirname(dir)) {
    await syncDir(path.dirname(dir));
    if (firstCreated === undefined || dir === firstCreated || path.dirname(dir) === root) break;
  }
  return journalDir;
}

const LINK_UNSUPPORTED = ['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS', 'EACCES'];

/**
 * A hard link keeps the original's bytes alive under a second name at the cost of one directory
 * entry: the commit only ever renames over or unlinks originals, never writes into them. Where
 * links are not possible (another device, protected_hardlinks) the original is copied and fsynced.
 */
async function backUp(source: string, backup: string): Promise<void> {
  try {
    await fsp.link(source, backup);
  } catch (error) {
    if (!LINK_UNSUPPORTED.includes(errnoCode(error) ?? '')) throw error;
    await fsp.copyFile(source, backup);
    await syncFile(backup);
  }
}

/** The manifest of a journal folder, or undefined when it has none. */
export async function readManifest(journalDir: string): Promise<JournalManifest | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(journalDir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JournalCorruptError(journalDir, `manifest is not JSON (${(error as Error).message})`);
  }
  // The schema (and zod) load only when there is a journal to read: opening a workspace checks for journals every time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { journalManifestSchema } = require('./journal-schema') as typeof import('./journal-schema');
  const parsed = journalManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JournalCorruptError(journalDir, `manifest field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Puts the tree back the way it was before the journal's commit, from any point the commit may
 * have reached. Idempotent: running it again after a crash halfway through finishes the job
 * (a backup that is gone was already renamed back). `resolve` maps a manifest path to an
 * absolute one inside the workspace and refuses anything else.
 */
export async function rollBackJournal(journalDir: string, manifest: JournalManifest, resolve: (rel: string) => Promise<string>, concurrency: number): Promise<RollbackOutcome> {
  const targets = await Promise.all(manifest.targets.map(async (target) => ({ ...target, abs: await resolve(target.path) })));
  const createdDirs = await Promise.all(manifest.createdDirs.map(resolve));
  const removedDirs = await Promise.all(manifest.removedDirs.map(resolve));
  const outcome: RollbackOutcome = { restored: [], removed: [] };

  await runBounded(targets.length, concurrency, async (i) => {
    const { temp, abs } = targets[i];
    if (temp !== undefined) await ignoring(['ENOENT', 'ENOTDIR'], () => fsp.unlink(path.join(path.dirname(abs), temp)));
  });
  await runBounded(targets.length, concurrency, async (i) => {
    const target = targets[i];
    if (target.existed) return;
    try {
      await fsp.unlink(target.abs);
      outcome.removed.push(target.path);
    } catch (error) {
      // Not there (never renamed in), or a folder that is not the commit's doing: leave it.
      if (!['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errnoCode(error) ?? '')) throw error;
    }
  });
  for (const dir of [...createdDirs].reverse()) {
    await ignoring(['ENOENT', 'ENOTDIR', 'ENOTEMPTY', 'EEXIST'], () => fsp.rmdir(dir));
  }
  for (const dir of [...removedDirs].reverse()) await fsp.mkdir(dir, { recursive: true });
  await runBounded(targets.length, concurrency, async (i) => {
    const target = targets[i];
    if (!target.existed || target.backup === undefined) return;
    if (await restoreBackup(path.join(journalDir, target.backup), target.abs)) outcome.restored.push(target.path);
  });

  const touched = new Set<string>();
  for (const target of targets) touched.add(path.dirname(target.abs));
  for (const dir of [...createdDirs, ...removedDirs]) touched.add(path.dirname(dir));
  const dirs = [...touched];
  await runBounded(dirs.length, concurrency, (i) => ignoring(['ENOENT', 'ENOTDIR'], () => syncDir(dirs[i])));
  outcome.restored.sort();
  outcome.removed.sort();
  return outcome;
}

/**
 * Renames the backup over the target. False when there was nothing to do: the backup is gone
 * (an earlier run restored it), or the target is still the original itself (the backup is a
 * hard link to it) — which also spares a rename in a folder that may not be writable.
 */
async function restoreBackup(backup: string, target: string): Promise<boolean> {
  let saved;
  try {
    saved = await fsp.lstat(backup);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
  try {
    const current = await fsp.lstat(target);
    if (current.ino === saved.ino && current.dev === saved.dev) return false;
  } catch (error) {
    if (!['ENOENT', 'ENOTDIR'].includes(errnoCode(error) ?? '')) throw error;
    await fsp.mkdir(path.dirname(target), { recursive: true });
  }
  await fsp.rename(backup, target);
  return true;
}

/** Removes the manifest durably: after this the journal no longer asks for a rollback. */
export async function sealJournal(journalDir: string): Promise<void> {
  await ignoring(['ENOENT'], () => fsp.unlink(path.join(journalDir, MANIFEST_FILE)));
  await syncDir(journalDir);
}

export async function removeJournal(journalDir: string): Promise<void> {
  await fsp.rm(journalDir, { recursive: true, force: true });
}
