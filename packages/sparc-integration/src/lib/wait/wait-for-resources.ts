import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { abortableDelay as delay, type Workspace } from '@sparc/batch-core';
import { checkResource } from './check-resource';
import { parseResource, type Resource } from './resource';

export interface WaitOptions {
  workspace: Workspace;
  signal: AbortSignal;
  /** Pause between two looks at a resource that is not ready. */
  intervalMs: number;
  /** Give up on a resource after this long. */
  timeoutMs: number;
  /** Status that counts as ready for http resources. @default any 2xx */
  expectStatus?: number;
  /** Limit for one request or connection attempt. */
  attemptTimeoutMs: number;
}

export interface ResourceWaitResult {
  resource: string;
  kind: Resource['kind'];
  ready: boolean;
  /** From the start of the wait until ready, or until given up. */
  waitedMs: number;
  attempts: number;
  /** Why it is not ready: the last failed look. */
  error?: string;
}

/**
 * Waits for every resource at once, each polled on its own every `intervalMs` until it is ready or
 * `timeoutMs` has passed. Resource texts are parsed first, so a malformed one fails before any waiting.
 */
export async function waitForResources(texts: readonly string[], opts: WaitOptions): Promise<ResourceWaitResult[]> {
  const resources = texts.map(parseResource);
  const started = performance.now();
  // One signal of our own that every resource's polling listens on, instead of the caller's.
  const signal = AbortSignal.any([opts.signal]);
  setMaxListeners(0, signal);
  return Promise.all(resources.map((resource) => waitForOne(resource, started, { ...opts, signal })));
}

async function waitForOne(resource: Resource, started: number, opts: WaitOptions): Promise<ResourceWaitResult> {
  const deadline = started + opts.timeoutMs;
  let attempts = 0;
  let reason = 'no attempt made';
  for (;;) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    attempts++;
    const attemptTimeoutMs = Math.max(1, Math.min(opts.attemptTimeoutMs, remaining));
    const check = await checkResource(resource, { workspace: opts.workspace, signal: opts.signal, expectStatus: opts.expectStatus, attemptTimeoutMs });
    if (check.ready) return { resource: resource.text, kind: resource.kind, ready: true, waitedMs: round3(performance.now() - started), attempts };
    // An attempt the deadline cut short says less than the full attempt before it.
    const cutShort = check.timedOut === true && attemptTimeoutMs < opts.attemptTimeoutMs;
    if (!cutShort || attempts === 1) reason = check.reason;
    const pause = Math.min(opts.intervalMs, deadline - performance.now());
    if (pause <= 0) break;
    await delay(pause, opts.signal);
  }
  return {
    resource: resource.text,
    kind: resource.kind,
    ready: false,
    waitedMs: round3(performance.now() - started),
    attempts,
    error: `not ready after ${opts.timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${reason})`,
  };
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
