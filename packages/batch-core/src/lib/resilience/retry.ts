import { isRetryable, ValidationError } from '../errors';
import type { RetryPolicy } from '../operations/types';
import { abortableDelay, backoffDelay } from './backoff';

export interface WithRetryOptions extends Partial<RetryPolicy> {
  signal?: AbortSignal;
  /** Decides whether an error is worth another attempt. @default isRetryable */
  retryIf?: (error: unknown, attempt: number) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Calls `fn` until it succeeds, the attempts run out, or it fails with an error that retrying
 * cannot fix (validation, path escapes, 4xx...). Backoff is exponential with jitter.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T> | T, options: WithRetryOptions = {}): Promise<T> {
  const policy: RetryPolicy = { attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 200, maxBackoffMs: options.maxBackoffMs, factor: options.factor };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new ValidationError(`attempts must be a whole number ≥ 1 (got ${policy.attempts})`, [{ path: 'attempts', message: 'must be ≥ 1' }]);
  }
  const retryIf = options.retryIf ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || options.signal?.aborted || !retryIf(error, attempt)) throw error;
      const delayMs = backoffDelay(policy, attempt);
      options.onRetry?.({ attempt, delayMs, error });
      await abortableDelay(delayMs, options.signal);
    }
  }
}
