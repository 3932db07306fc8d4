import { performance } from 'node:perf_hooks';
import { abortableDelay as delay } from '@sparc/batch-core';
import type { ProcessExit } from '../process/service-process';
import { describeExpected, httpCheck, statusMatches } from './http-check';

export interface ReadinessOptions {
  /** The full health URL. */
  url: string;
  /** Status that means healthy. @default any 2xx */
  expectStatus?: number;
  /** Give up after this long (from `since`). */
  timeoutMs: number;
  /** `performance.now()` the wait counts from (the spawn, for started services). @default now */
  since?: number;
  signal: AbortSignal;
  /** The service's process: when it exits before it is healthy, waiting stops at once. */
  exited?: Promise<ProcessExit>;
  /** First pause between attempts; it grows by half each attempt up to `maxIntervalMs`. @default 25 */
  initialIntervalMs?: number;
  /** Longest pause: how late, at worst, a service that became healthy is noticed. @default 100 */
  maxIntervalMs?: number;
  /** Limit for one health request. @default 2000 */
  requestTimeoutMs?: number;
}

export type ReadinessOutcome =
  | { healthy: true; readyMs: number; attempts: number; status: number }
  | { healthy: false; reason: 'timeout' | 'exited'; message: string; attempts: number; exit?: ProcessExit };

const GROWTH = 1.5;

/**
 * Polls the health URL with growing pauses until it answers the expected status, the time is up,
 * or the service's process exits. Rejects only when `signal` aborts.
 */
export async function waitUntilHealthy(opts: ReadinessOptions): Promise<ReadinessOutcome> {
  const since = opts.since ?? performance.now();
  const deadline = since + opts.timeoutMs;
  const maxInterval = opts.maxIntervalMs ?? 100;
  let interval = opts.initialIntervalMs ?? 25;
  let attempts = 0;
  let last = 'no attempt made';
  let exit: ProcessExit | undefined;
  opts.exited?.then((e) => (exit = e)).catch(() => undefined);
  const exitedOutcome = (e: ProcessExit): ReadinessOutcome => ({
    healthy: false,
    reason: 'exited',
    attempts,
    exit: e,
    message: `start command ${e.code === null ? `was killed by ${e.signal}` : `exited with code ${e.code}`} before ${opts.url} was healthy`,
  });

  for (;;) {
    if (opts.signal.aborted) throw opts.signal.reason;
    if (exit) return exitedOutcome(exit);
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    attempts++;
    const requestTimeoutMs = opts.requestTimeoutMs ?? 2000;
    const attemptTimeoutMs = Math.min(requestTimeoutMs, remaining);
    const outcome = await httpCheck(opts.url, { timeoutMs: attemptTimeoutMs, signal: opts.signal });
    if (outcome.reached && statusMatches(outcome.status, opts.expectStatus)) {
      return { healthy: true, readyMs: performance.now() - since, attempts, status: outcome.status };
    }
    // An attempt the deadline cut short says less than the full attempt before it.
    const cutShort = !outcome.reached && outcome.timedOut === true && attemptTimeoutMs < requestTimeoutMs;
    if (!cutShort || attempts === 1) last = outcome.reached ? `answered ${outcome.status} (expected ${describeExpected(opts.expectStatus)})` : outcome.reason;
    const pause = Math.min(interval, deadline - performance.now());
    interval = Math.min(maxInterval, interval * GROWTH);
    if (pause <= 0) break;
    // Wake early when the process exits: waiting out the pause would only delay the report.
    await Promise.race([delay(pause, opts.signal), opts.exited ?? new Promise(() => undefined)]);
  }
  if (exit) return exitedOutcome(exit);
  return {
    healthy: false,
    reason: 'timeout',
    attempts,
    message: `${opts.url} not healthy after ${opts.timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${last})`,
  };
}
