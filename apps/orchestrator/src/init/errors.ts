import { SparcError } from '@sparc/batch-core';

/** `sparc init` refused its input (a bad name, a target that is not empty); nothing was written. */
export class InitError extends SparcError {
  constructor(code: 'INIT_INVALID_NAME' | 'INIT_TARGET_NOT_EMPTY' | 'INIT_TARGET_NOT_A_FOLDER', message: string) {
    super(code, message);
  }
}
