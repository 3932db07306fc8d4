import { MODE_RULES, ValidationError, type Finding, type ModeResult } from '@sparc/batch-core';

/** Rule ids of this mode's findings. */
export const CODE_RULES = {
  conflict: 'code.conflict',
  skipped: 'code.skipped',
  format: 'code.format-failed',
  note: 'code.note',
  expect: 'code.expect-mismatch',
  noMatch: 'code.no-match',
  transformFailed: 'code.transform-failed',
} as const;

/**
 * A bad request (options that do not fit, a spec or template variables that fail their schema) as
 * a failed result whose findings carry the options rule, so the CLI exits 2 as for any usage
 * error. Anything else is rethrown for `runMode` to report.
 */
export function usageFailure(label: string, error: unknown): ModeResult<undefined> {
  if (!(error instanceof ValidationError)) throw error;
  const findings: Finding[] =
    error.issues.length > 0
      ? error.issues.map((issue) => ({ severity: 'error', rule: MODE_RULES.options, message: `${label}: ${issue.path}: ${issue.message}` }))
      : [{ severity: 'error', rule: MODE_RULES.options, message: `${label}: ${error.message}` }];
  return { status: 'failed', summary: `${label}: ${error.message}`, findings, data: undefined, artifacts: [] };
}

/** "3 files" / "1 file". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
