/**
 * What file operations need from the disk. A `Workspace` implements it by writing straight to
 * disk; a `FileTransaction` implements it by staging in memory. Handlers only see this interface,
 * which is how `atomic: true` turns a whole batch into one transaction.
 * All paths are workspace-relative (or absolute inside the root); implementations confine them.
 */
export interface FileStore {
  readFile(path: string): Promise<Buffer>;
  /** Creates missing parent folders. */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Deletes a file, or a folder when `recursive`. Missing paths fail with ENOENT unless `force`. */
  deletePath(path: string, opts?: { recursive?: boolean; force?: boolean }): Promise<void>;
  /** Fails with EEXIST when `to` exists and `overwrite` is not set. */
  movePath(from: string, to: string, opts?: { overwrite?: boolean }): Promise<void>;
  copyPath(from: string, to: string, opts?: { overwrite?: boolean }): Promise<void>;
  mkdir(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}
