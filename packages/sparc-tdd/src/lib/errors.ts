import { SparcError } from '@sparc/batch-core';

/** Codes of the errors `sparc tdd` raises itself; callers branch on them, never on messages. */
export type TddErrorCode =
  | 'TDD_NO_SPEC'
  | 'TDD_NO_SUITES'
  | 'TDD_UNKNOWN_SUITE'
  | 'TDD_JEST_NOT_FOUND'
  | 'TDD_BAD_CONFIG'
  | 'TDD_COVERAGE_NOT_FOUND'
  | 'TDD_BAD_COVERAGE'
  | 'TDD_TEST_NOT_FOUND'
  | 'TDD_SCAN_FAILED';

export class TddError extends SparcError {
  constructor(
    code: TddErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
