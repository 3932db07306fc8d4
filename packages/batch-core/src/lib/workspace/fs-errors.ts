import { constants as osConstants } from 'node:os';

const DESCRIPTIONS = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  EINVAL: 'invalid argument',
} as const;

export type StagedFsErrorCode = keyof typeof DESCRIPTIONS;

/**
 * An error shaped like the one Node would throw for the same mistake on disk, so code written
 * against a `Workspace` handles a `FileTransaction` the same way (`error.code === 'ENOENT'`).
 */
export function fsError(code: StagedFsErrorCode, syscall: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${DESCRIPTIONS[code]}, ${syscall} '${path}'`);
  error.code = code;
  error.errno = -osConstants.errno[code];
  error.syscall = syscall;
  error.path = path;
  return error;
}

export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Runs `action`, treating the listed error codes as success. */
export async function ignoring(codes: readonly string[], action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!codes.includes(errnoCode(error) ?? '')) throw error;
  }
}
