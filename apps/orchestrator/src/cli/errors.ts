/**
 * CLI-level errors. Kept free of `@sparc/batch-core` so that `--help` and argument errors never
 * load the engine.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad command line or bad input file: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super('USAGE', message, 2);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

interface IssueLike {
  path: string;
  message: string;
}

/** A validation message plus the issues it does not already spell out, one per line. */
export function describeValidation(message: string, issues: readonly IssueLike[] = []): string {
  const extra = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).filter((line) => !message.includes(line));
  return [message, ...extra.map((line) => `  - ${line}`)].join('\n');
}
