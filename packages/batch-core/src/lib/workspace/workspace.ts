import { promises as fsp, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { PathOutsideWorkspaceError, ValidationError } from '../errors';
import type { FileStore } from './file-store';
import { recoverJournals } from './recovery';
import type { FileTransaction } from './transaction';
import type { TransactionOptions } from './transaction-options';

export interface WorkspaceOptions {
  /** Roll back journals left by a crashed commit when opening. @default true */
  recover?: boolean;
}

/**
 * A root folder that every path goes through. Lexical escapes (`..`, absolute paths elsewhere,
 * NUL bytes) are refused by `resolve`; symlinks that lead outside are refused by `resolveReal`,
 * which every file access uses.
 */
export class Workspace implements FileStore {
  /** Real (symlink-free) absolute path of the root. */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  static async open(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
    if (typeof root !== 'string' || root.length === 0) throw new ValidationError('workspace root must be a non-empty path', [{ path: 'root', message: 'required' }]);
    let real: string;
    try {
      real = await fsp.realpath(path.resolve(root));
    } catch {
      throw new ValidationError(`workspace root "${root}" does not exist`, [{ path: 'root', message: 'does not exist' }], 'WORKSPACE_NOT_FOUND');
    }
    const stat = await fsp.stat(real);
    if (!stat.isDirectory()) throw new ValidationError(`workspace root "${root}" is not a directory`, [{ path: 'root', message: 'not a directory' }], 'WORKSPACE_NOT_FOUND');
    const workspace = new Workspace(real);
    if (options.recover !== false) {
      await recoverJournals(workspace);
    }
    return workspace;
  }

  /** Absolute path for `p`, checked lexically. Throws PathOutsideWorkspaceError. */
  resolve(p: string): string {
    if (typeof p !== 'string') throw new PathOutsideWorkspaceError(String(p), 'not a string');
    if (p.includes('\0')) throw new PathOutsideWorkspaceError(p.replace(/\0/g, '\\0'), 'contains a NUL byte');
    const abs = path.resolve(this.root, p === '' ? '.' : p);
    if (!this.contains(abs)) {
      throw new PathOutsideWorkspaceError(p, path.isAbsolute(p) ? `absolute path not under ${this.root}` : 'escapes the root with ".."');
    }
    return abs;
  }

  /**
   * Like `resolve`, then follows symlinks of the path or its deepest existing ancestor and refuses
   * the path when they lead outside the root.
   */
  async resolveReal(p: string): Promise<string> {
    const abs = this.resolve(p);
    let probe = abs;
    for (;;) {
      try {
        const real = await fsp.realpath(probe);
        if (!this.contains(real)) throw new PathOutsideWorkspaceError(p, `symlink resolves to ${real}`);
        return abs;
      } catch (error) {
        if (error instanceof PathOutsideWorkspaceError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        const parent = path.dirname(probe);
        if (parent === probe) return abs;
        probe = parent;
      }
    }
  }

  /** A new transaction over this workspace: changes staged in memory, committed all at once. */
  transaction(options?: TransactionOptions): FileTransaction {
    // Loaded on first use: most processes open a workspace only to read it (and transactions pull in zod).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FileTransaction: Transaction } = require('./transaction') as typeof import('./transaction');
    return new Transaction(this, options);
  }

  /** Workspace-relative path with forward slashes ('' for the root itself). */
  relative(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  contains(abs: string): boolean {
    const rel = path.relative(this.root, abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  async readFile(p: string): Promise<Buffer> {
    return fsp.readFile(await this.resolveReal(p));
  }

  async writeFile(p: string, data: string | Uint8Array): Promise<void> {
    const abs = await this.resolveReal(p);
    await fsp.mkdir(path.dirname(abs), { recursive: true });
    await fsp.writeFile(abs, data);
  }

  async deletePath(p: string, opts: { recursive?: boolean; force?: boolean } = {}): Promise<void> {
    const abs = await this.resolveReal(p);
    if (abs === this.root) throw new PathOutsideWorkspaceError(p, 'refusing to delete the workspace root');
    await fsp.rm(abs, { recursive: opts.recursive ?? false, force: opts.force ?? false });
  }

  async movePath(from: string, to: string, opts: { overwrite?: boolean } = {}): Promise<void> {
    const src = await this.resolveReal(from);
    const dest = await this.resolveReal(to);
    if (!opts.overwrite && (await exists(dest))) throw Object.assign(new Error(`EEXIST: destination exists: ${to}`), { code: 'EEXIST' });
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(src, dest);
  }

  async copyPath(from: string, to: string, opts: { overwrite?: boolean } = {}): Promise<void> {
    const src = await this.resolveReal(from);
    const dest = await this.resolveReal(to);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.cp(src, dest, { recursive: true, force: opts.overwrite ?? false, errorOnExist: !opts.overwrite });
  }

  async mkdir(p: string): Promise<void> {
    await fsp.mkdir(await this.resolveReal(p), { recursive: true });
  }

  async exists(p: string): Promise<boolean> {
    return exists(await this.resolveReal(p));
  }
}

async function exists(abs: string): Promise<boolean> {
  try {
    await fsp.access(abs, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}
