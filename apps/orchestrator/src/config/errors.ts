import { ValidationError, type ValidationIssue } from '@sparc/batch-core';

/**
 * A `sparc.config.*` that cannot be read, does not load, or does not validate. `file` is the
 * config file's path and every issue's `path` names the field (`pipelines.ci.stages[1].modes[0]`),
 * so the message alone is enough to fix it.
 */
export class ConfigError extends ValidationError {
  constructor(
    readonly file: string,
    issues: ValidationIssue[],
    summary = 'invalid config',
  ) {
    const listed = issues.slice(0, 8).map((i) => `${file}: ${i.path}: ${i.message}`);
    const more = issues.length > 8 ? [`(and ${issues.length - 8} more)`] : [];
    super([`${summary}:`, ...listed, ...more].join('\n  '), issues, 'CONFIG_INVALID');
  }
}

/** The config file exists but cannot be loaded (syntax error, a throwing import...). */
export class ConfigLoadError extends ValidationError {
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot load config ${file}: ${reason}`, [{ path: '(file)', message: reason }], 'CONFIG_LOAD_FAILED');
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}
