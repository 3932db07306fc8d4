import type { RetryPolicy } from '../operations/types';

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is random, so retries of
 * many operations that failed together spread out instead of hitting the target in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const factor = policy.factor ?? 2;
  const ceiling = policy.maxBackoffMs ?? 30_000;
  const exponential = Math.min(ceiling, policy.backoffMs * Math.pow(factor, Math.max(0, failedAttempt - 1)));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
