import { cpuHandler } from '../pool/cpu-handler';
import { execHandler } from './handlers/exec';
import { fileCopyHandler, fileDeleteHandler, fileMkdirHandler, fileMoveHandler, fileReadHandler, fileWriteHandler } from './handlers/file';
import { fileEditHandler } from './handlers/file-edit';
import { httpRequestHandler } from './handlers/http';
import { searchGlobHandler } from './handlers/search-glob';
import { searchGrepHandler } from './handlers/search-grep';
import { OperationRegistry } from './registry';
import type { OperationHandler } from './types';

/** Every operation type sparc ships with. */
export const builtinHandlers: OperationHandler[] = [
  fileReadHandler,
  fileWriteHandler,
  fileEditHandler,
  fileMkdirHandler,
  fileDeleteHandler,
  fileCopyHandler,
  fileMoveHandler,
  searchGlobHandler,
  searchGrepHandler,
  execHandler,
  httpRequestHandler,
  cpuHandler,
];

/** A registry holding the built-in handlers; register your own on it. */
export function createDefaultRegistry(): OperationRegistry {
  const registry = new OperationRegistry();
  for (const handler of builtinHandlers) registry.register(handler);
  return registry;
}
