/**
 * Typed errors. Every error the engine reports carries a stable `code` so callers (CLI, MCP,
 * pipeline) can branch on it without parsing messages.
 */
export class SparcError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `operations[3].params.path`. */
  path: string;
  message: string;
}

/** Bad input: never retried, reported before anything runs. */
export class ValidationError extends SparcError {
  readonly issues: ValidationIssue[];
  constructor(message: string, issues: ValidationIssue[] = [], code = 'VALIDATION_ERROR') {
    super(code, message);
    this.issues = issues;
  }
}

export class DependencyCycleError extends ValidationError {
  readonly cycle: string[];
  constructor(cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`, [], 'DEPENDENCY_CYCLE');
    this.cycle = cycle;
  }
}

export class UnknownDependencyError extends ValidationError {
  constructor(readonly operationId: string, readonly dependency: string) {
    super(`operation "${operationId}" depends on unknown operation "${dependency}"`, [], 'UNKNOWN_DEPENDENCY');
  }
}

export class PathOutsideWorkspaceError extends SparcError {
  constructor(readonly requestedPath: string, reason: string) {
    super('PATH_OUTSIDE_WORKSPACE', `path "${requestedPath}" is outside the workspace: ${reason}`);
  }
}

export class ConflictError extends SparcError {
  constructor(readonly paths: string[]) {
    super('CONFLICT', `file(s) changed on disk since they were read: ${paths.join(', ')}`);
  }
}

export class TimeoutError extends SparcError {
  constructor(readonly timeoutMs: number, what = 'operation') {
    super('TIMEOUT', `${what} timed out after ${timeoutMs} ms`);
  }
}

export class CancelledError extends SparcError {
  constructor(reason = 'cancelled') {
    super('CANCELLED', reason);
  }
}

export class CircuitOpenError extends SparcError {
  constructor(readonly target: string, readonly retryInMs: number) {
    super('CIRCUIT_OPEN', `circuit for "${target}" is open; next trial in ${Math.max(0, Math.round(retryInMs))} ms`);
  }
}

export class UnknownOperationTypeError extends ValidationError {
  constructor(readonly operationType: string, known: string[]) {
    super(`unknown operation type "${operationType}" (known: ${known.join(', ')})`, [], 'UNKNOWN_OPERATION_TYPE');
  }
}

/** An operation's own failure with a domain code (EDIT_NOT_FOUND, EXEC_FAILED, HTTP_STATUS, ...). */
export class OperationError extends SparcError {
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;
  constructor(code: string, message: string, opts: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, { cause: opts.cause });
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }
}

export interface ErrorInfo {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const RETRYABLE_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** Retry only what can succeed next time: timeouts, dropped connections, busy resources, 5xx. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ValidationError || error instanceof PathOutsideWorkspaceError || error instanceof CancelledError) return false;
  if (error instanceof CircuitOpenError || error instanceof ConflictError) return false;
  if (error instanceof TimeoutError) return true;
  if (error instanceof OperationError) return error.retryable;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRYABLE_NODE_CODES.has(code)) return true;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause && cause !== error) return isRetryable(cause);
  return false;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof SparcError) {
    const info: ErrorInfo = { code: error.code, message: error.message };
    if (error instanceof OperationError && error.details) info.details = error.details;
    if (error instanceof ValidationError && error.issues.length > 0) info.details = { issues: error.issues };
    return info;
  }
  if (isErrorLike(error)) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'ERROR', message: error.message };
  }
  return { code: 'ERROR', message: String(error) };
}

/** `instanceof Error` fails for errors made in another realm (Node internals seen from a vm context, such as jest's). */
export function isErrorLike(value: unknown): value is Error {
  return value !== null && typeof value === 'object' && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string';
}
