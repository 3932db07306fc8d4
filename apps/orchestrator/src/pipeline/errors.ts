import { ValidationError, type ValidationIssue } from '@sparc/batch-core';

/** A pipeline that cannot start: unknown pipeline, unknown mode, a bad `--only`. Nothing has run. */
export class PipelineError extends ValidationError {
  constructor(code: string, message: string, issues: ValidationIssue[] = []) {
    super(message, issues, code);
  }
}
