// Deep import: batch-core's index loads the whole engine, most of a short run's start-up.
import { SparcError } from '@sparc/batch-core/dist/lib/errors';

export type ArchitectErrorCode = 'WORKER_NOT_BUILT' | 'RULES_INVALID' | 'TSCONFIG_INVALID' | 'SRC_NOT_FOUND';

/** Errors of the architect mode, each with a code callers can match. */
export class ArchitectError extends SparcError {
  constructor(code: ArchitectErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
