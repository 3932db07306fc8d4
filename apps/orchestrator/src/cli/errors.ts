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

/** Input that cannot be used (unreadable or malformed batch file, invalid batch): exit code 2, no usage hint. */
export class InputError extends CliError {
  constructor(message: string) {
    super('INVALID_INPUT', message, 2);
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

/** An engine ValidationError about a batch, as an InputError that names where the batch came from. */
export function invalidBatch(source: string, error: { message: string; issues?: readonly IssueLike[] }): InputError {
  // The engine's messages may already start with "invalid batch:"; say it once.
  const message = error.message.replace(/^invalid batch:\s*/, '');
  return new InputError(`invalid batch in ${source}: ${describeValidation(message, error.issues ?? [])}`);
}
