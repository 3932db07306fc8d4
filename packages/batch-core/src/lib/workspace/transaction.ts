import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConflictError, OperationError, PathOutsideWorkspaceError, ValidationError } from '../errors';
import { applyEditsCounted, type TextEdit } from './apply-edits';
import { applyCommit } from './commit';
import { changeKindOf, findConflicts, planCommit, type StagedState } from './commit-plan';
import { unifiedDiffs, type FileDiffInput } from './diff';
import type { FileStore } from './file-store';
import { fsError } from './fs-errors';
import { newTxnId } from './journal';
import { loadOriginal, type Original } from './originals';
import { TransactionClosedError } from './transaction-errors';
import { parseTransactionOptions, type TransactionOptions } from './transaction-options';
import type { CommitOptions, CommitResult, EditResult, FileChange, TransactionState } from './transaction-types';
import { listStagedTree } from './staged-tree';
import type { Workspace } from './workspace';

export type { CommitOptions, CommitResult, EditResult, FileChange, FileChangeKind, TransactionState } from './transaction-types';

const textEditsSchema = z.array(z.object({ old: z.string(), new: z.string(), all: z.boolean().optional() }));

/**
 * File changes staged in memory and committed all together, or not at all — across a crash too
 * (see `commit`). Reads see what is staged. The first time a path is read or staged over, what is
 * on disk there is recorded; `commit` refuses with a ConflictError when any of it changed since.
 * Every path goes through `Workspace.resolveReal`, so escapes fail before anything is staged.
 * Staging errors look like the disk's (`ENOENT`, `EEXIST`, `EISDIR`...). A file that is a symlink
 * (inside the root) is replaced by a regular file when written, as atomic writers do.
 */
export class FileTransaction implements FileStore {
  readonly id = newTxnId();
  readonly #workspace: Workspace;
  readonly #concurrency: number;
  #state: TransactionState = 'open';
  /** Loads in flight or done, one per path, so concurrent stagings record a path once. */
  readonly #loading = new Map<string, Promise<Original>>();
  readonly #seen = new Map<string, Original>();
  /** Staged file content; `null` is a staged deletion. */
  readonly #files = new Map<string, Buffer | null>();
  /** Folders made by `mkdir`, with whether they were on disk already. */
  readonly #mkdirs = new Map<string, boolean>();
  /** Folders that hold staged files. Invariant: a folder's ancestors are in here too. */
  readonly #impliedDirs = new Set<string>();
  /** Folders on disk that the commit removes. */
  readonly #removedDirs = new Set<string>();

  constructor(workspace: Workspace, options?: TransactionOptions) {
    this.#workspace = workspace;
    this.#concurrency = parseTransactionOptions(options).concurrency;
  }

  get state(): TransactionState {
    return this.#state;
  }

  async readFile(p: string): Promise<Buffer> {
    const abs = await this.#resolve(p);
    return Buffer.from(await this.#read(abs, p));
  }

  async exists(p: string): Promise<boolean> {
    const abs = await this.#resolve(p);
    const staged = this.#files.get(abs);
    if (staged) return true;
    if (this.#isStagedDir(abs)) return true;
    if (staged === null || this.#removedDirs.has(abs)) return false;
    const seen = this.#seen.get(abs);
    if (seen !== undefined) return seen.kind !== 'absent';
    try {
      await fsp.access(abs);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stages `data` at `p`. With `overwrite: false`, a file already there with different content is
   * refused (FILE_EXISTS); the same content is accepted, so re-running a generator is harmless.
   */
  async writeFile(p: string, data: string | Uint8Array, options: { overwrite?: boolean } = {}): Promise<void> {
    const abs = await this.#resolve(p);
    const content = Buffer.from(data);
    const original = await this.#original(abs);
    this.#assertOpen();
    if (abs === this.#workspace.root || this.#isDir(abs, original)) throw fsError('EISDIR', 'open', p);
    if (options.overwrite === false) {
      const current = this.#current(abs, original);
      if (current !== undefined && !current.equals(content)) {
        const rel = this.#workspace.relative(abs);
        throw new OperationError('FILE_EXISTS', `${rel} already exists with different content (set overwrite to replace it)`, { details: { path: rel } });
      }
    }
    this.#stageFile(abs, content, p);
  }

  /**
   * Applies text edits to the staged (or on-disk) content of `p`: EDIT_NOT_FOUND when an `old`
   * is missing, EDIT_AMBIGUOUS when it occurs more than once without `all`. All edits or none.
   */
  async editFile(p: string, edits: TextEdit[]): Promise<EditResult> {
    const parsed = textEditsSchema.safeParse(edits);
    if (!parsed.success) throw new ValidationError(`invalid edits for ${p}: ${parsed.error.issues[0].message}`, parsed.error.issues.map((i) => ({ path: `edits.${i.path.join('.')}`, message: i.message })));
    const abs = await this.#resolve(p);
    const rel = this.#workspace.relative(abs);
    const before = (await this.#read(abs, p)).toString('utf8');
    const { content, replacements } = applyEditsCounted(rel, before, parsed.data);
    this.#assertOpen();
    this.#stageFile(abs, Buffer.from(content), p);
    return { path: rel, replacements };
  }

  async deletePath(p: string, options: { recursive?: boolean; force?: boolean } = {}): Promise<void> {
    const abs = await this.#resolve(p);
    if (abs === this.#workspace.root) throw new PathOutsideWorkspaceError(p, 'refusing to delete the workspace root');
    const original = await this.#original(abs);
    if (this.#isDir(abs, original)) {
      if (!options.recursive) throw fsError('EISDIR', 'rm', p);
      const tree = await listStagedTree(abs, this.#treeView());
      await Promise.all(tree.files.map(async (file) => this.#original(await this.#resolve(file))));
      this.#assertOpen();
      for (const file of tree.files) this.#files.set(file, null);
      this.#forgetDirs([abs, ...tree.dirs], tree.onDisk);
      return;
    }
    if (this.#current(abs, original) === undefined) {
      if (options.force) return;
      throw fsError('ENOENT', 'rm', p);
    }
    this.#assertOpen();
    this.#files.set(abs, null);
  }

  async movePath(from: string, to: string, options: { overwrite?: boolean } = {}): Promise<void> {
    await this.#transfer(from, to, options.overwrite ?? false, true);
  }

  async copyPath(from: string, to: string, options: { overwrite?: boolean } = {}): Promise<void> {
    await this.#transfer(from, to, options.overwrite ?? false, false);
  }

  async mkdir(p: string): Promise<void> {
    const abs = await this.#resolve(p);
    if (abs === this.#workspace.root) return;
    const original = await this.#original(abs);
    this.#assertOpen();
    if (this.#isDir(abs, original)) return;
    if (this.#current(abs, original) !== undefined) throw fsError('EEXIST', 'mkdir', p);
    this.#assertNoFileAbove(abs, p);
    this.#removedDirs.delete(abs);
    this.#mkdirs.set(abs, original.kind === 'directory');
    this.#markDirsPresent(path.dirname(abs));
  }

  /** Every staged path with what committing it would do, sorted by path. */
  changes(): FileChange[] {
    this.#assertOpen();
    return this.#changes();
  }

  /** Unified diffs (git style, `a/` and `b/` prefixes, `/dev/null` for created and deleted files). */
  diff(): string {
    this.#assertOpen();
    const inputs: FileDiffInput[] = [];
    for (const [abs, content] of this.#files) {
      const original = this.#seenOf(abs);
      const kind = changeKindOf(original, content);
      if (kind === undefined || kind === 'unchanged') continue;
      inputs.push({ path: this.#workspace.relative(abs), before: original.kind === 'file' ? original.content : null, after: content });
    }
    return unifiedDiffs(inputs);
  }

  /**
   * Applies everything staged, atomically: ConflictError (nothing written) when a recorded file
   * changed on disk; CommitError after restoring every original when a step fails. A crash
   * mid-way is rolled back by the next `Workspace.open`. A transaction commits at most once.
   */
  async commit(options: CommitOptions = {}): Promise<CommitResult> {
    this.#assertOpen();
    this.#state = 'committing';
    try {
      await Promise.allSettled(this.#loading.values());
      const changes = this.#changes();
      const state = this.#stagedState();
      const plan = await planCommit(this.id, state);
      const conflicts = await findConflicts(state, plan, this.#concurrency);
      if (conflicts.length > 0) throw new ConflictError(conflicts);
      const work = plan.writes.length + plan.deletes.length + plan.createDirs.length + plan.removeDirs.length;
      if (work > 0) {
        await applyCommit(plan, {
          root: this.#workspace.root,
          resolve: (rel) => this.#workspace.resolveReal(rel),
          concurrency: this.#concurrency,
          onPhase: options.onPhase,
        });
      }
      this.#state = 'committed';
      return { txnId: this.id, changes };
    } catch (error) {
      this.#state = 'failed';
      throw error;
    }
  }

  /** Discards everything staged without touching the disk. Harmless after a failed commit. */
  rollback(): void {
    if (this.#state === 'committed' || this.#state === 'committing') throw new TransactionClosedError(this.#state);
    if (this.#state !== 'open') return;
    this.#files.clear();
    this.#seen.clear();
    this.#loading.clear();
    this.#mkdirs.clear();
    this.#impliedDirs.clear();
    this.#removedDirs.clear();
    this.#state = 'rolled-back';
  }

  async #resolve(p: string): Promise<string> {
    this.#assertOpen();
    return this.#workspace.resolveReal(p);
  }

  #assertOpen(): void {
    if (this.#state !== 'open') throw new TransactionClosedError(this.#state);
  }

  #original(abs: string): Promise<Original> {
    let loading = this.#loading.get(abs);
    if (loading === undefined) {
      loading = loadOriginal(abs).then(
        (original) => {
          this.#seen.set(abs, original);
          return original;
        },
        (error: unknown) => {
          // A failed read records nothing: a later attempt may succeed, and commit must not trip on it.
          this.#loading.delete(abs);
          throw error;
        },
      );
      this.#loading.set(abs, loading);
    }
    return loading;
  }

  #seenOf(abs: string): Original {
    const original = this.#seen.get(abs);
    if (original === undefined) throw new Error(`internal: no original recorded for ${abs}`);
    return original;
  }

  async #read(abs: string, p: string): Promise<Buffer> {
    const staged = this.#files.get(abs);
    if (staged) return staged;
    if (this.#isStagedDir(abs)) throw fsError('EISDIR', 'read', p);
    if (staged === null || this.#removedDirs.has(abs)) throw fsError('ENOENT', 'open', p);
    const original = await this.#original(abs);
    if (original.kind === 'file') return original.content;
    throw fsError(original.kind === 'directory' ? 'EISDIR' : 'ENOENT', original.kind === 'directory' ? 'read' : 'open', p);
  }

  /** The file content at `abs` as the transaction sees it, or undefined when no file is there. */
  #current(abs: string, original: Original): Buffer | undefined {
    const staged = this.#files.get(abs);
    if (staged !== undefined) return staged ?? undefined;
    return original.kind === 'file' ? original.content : undefined;
  }

  #isStagedDir(abs: string): boolean {
    return !this.#removedDirs.has(abs) && (this.#impliedDirs.has(abs) || this.#mkdirs.has(abs));
  }

  #isDir(abs: string, original: Original): boolean {
    return this.#isStagedDir(abs) || (original.kind === 'directory' && !this.#removedDirs.has(abs));
  }

  #assertNoFileAbove(abs: string, p: string): void {
    const root = this.#workspace.root;
    for (let dir = path.dirname(abs); dir !== root && !this.#impliedDirs.has(dir); dir = path.dirname(dir)) {
      if (this.#files.get(dir)) throw fsError('ENOTDIR', 'open', p);
    }
  }

  #stageFile(abs: string, content: Buffer, p: string): void {
    this.#assertNoFileAbove(abs, p);
    this.#files.set(abs, content);
    this.#markDirsPresent(path.dirname(abs));
  }

  #markDirsPresent(from: string): void {
    const root = this.#workspace.root;
    for (let dir = from; dir !== root; dir = path.dirname(dir)) {
      this.#removedDirs.delete(dir);
      if (this.#impliedDirs.has(dir)) break;
      this.#impliedDirs.add(dir);
    }
  }

  /** Drops folders from the staged view; those on disk are removed by the commit. */
  #forgetDirs(dirs: string[], onDisk: ReadonlySet<string>): void {
    for (const dir of dirs) {
      this.#impliedDirs.delete(dir);
      this.#mkdirs.delete(dir);
      if (onDisk.has(dir)) this.#removedDirs.add(dir);
    }
  }

  async #transfer(from: string, to: string, overwrite: boolean, move: boolean): Promise<void> {
    const syscall = move ? 'rename' : 'cp';
    const src = await this.#resolve(from);
    const dest = await this.#resolve(to);
    if (move && src === this.#workspace.root) throw new PathOutsideWorkspaceError(from, 'refusing to move the workspace root');
    const [srcOriginal, destOriginal] = await Promise.all([this.#original(src), this.#original(dest)]);
    const srcIsDir = this.#isDir(src, srcOriginal);
    const content = srcIsDir ? undefined : this.#current(src, srcOriginal);
    if (!srcIsDir && content === undefined) throw fsError('ENOENT', syscall, from);
    if (src === dest) return;
    const destIsDir = this.#isDir(dest, destOriginal);
    if (!overwrite && (destIsDir || this.#current(dest, destOriginal) !== undefined)) throw fsError('EEXIST', syscall, to);
    if (content !== undefined) {
      if (destIsDir) throw fsError('EISDIR', syscall, to);
      this.#assertOpen();
      this.#stageFile(dest, content, to);
      if (move) this.#files.set(src, null);
      return;
    }
    if (dest.startsWith(src + path.sep)) throw fsError('EINVAL', syscall, to);
    if (!destIsDir && this.#current(dest, destOriginal) !== undefined) throw fsError('ENOTDIR', syscall, to);
    const tree = await listStagedTree(src, this.#treeView());
    const sources = await Promise.all(tree.files.map((file) => this.#resolve(file)));
    const targets = await Promise.all(tree.files.map((file) => this.#resolve(path.join(dest, path.relative(src, file)))));
    const dirs = await Promise.all([src, ...tree.dirs].map((dir) => this.#resolve(path.join(dest, path.relative(src, dir)))));
    const contents = await Promise.all(sources.map((file) => this.#read(file, this.#workspace.relative(file))));
    const targetOriginals = await Promise.all(targets.map((target) => this.#original(target)));
    const dirOriginals = await Promise.all(dirs.map((dir) => this.#original(dir)));
    this.#assertOpen();
    targets.forEach((target, i) => {
      if (this.#isDir(target, targetOriginals[i])) throw fsError('EISDIR', syscall, this.#workspace.relative(target));
      this.#assertNoFileAbove(target, this.#workspace.relative(target));
    });
    if (move) {
      for (const file of sources) this.#files.set(file, null);
      this.#forgetDirs([src, ...tree.dirs], tree.onDisk);
    }
    targets.forEach((target, i) => this.#stageFile(target, contents[i], to));
    dirs.forEach((dir, i) => {
      if (this.#isDir(dir, dirOriginals[i])) return;
      this.#removedDirs.delete(dir);
      this.#mkdirs.set(dir, dirOriginals[i].kind === 'directory');
      this.#markDirsPresent(path.dirname(dir));
    });
  }

  #treeView() {
    return { files: this.#files, removedDirs: this.#removedDirs, stagedDirs: [...this.#impliedDirs, ...this.#mkdirs.keys()] };
  }

  #changes(): FileChange[] {
    const changes: FileChange[] = [];
    for (const [abs, content] of this.#files) {
      const kind = changeKindOf(this.#seenOf(abs), content);
      if (kind !== undefined) changes.push({ path: this.#workspace.relative(abs), kind });
    }
    for (const [abs, existed] of this.#mkdirs) {
      if (!existed && !this.#removedDirs.has(abs)) changes.push({ path: this.#workspace.relative(abs), kind: 'mkdir' });
    }
    for (const abs of this.#removedDirs) changes.push({ path: this.#workspace.relative(abs), kind: 'rmdir' });
    return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  #stagedState(): StagedState {
    const workspace = this.#workspace;
    return {
      root: workspace.root,
      files: this.#files,
      seen: this.#seen,
      mkdirs: this.#mkdirs,
      removedDirs: this.#removedDirs,
      relative: (abs) => workspace.relative(abs),
    };
  }
}
