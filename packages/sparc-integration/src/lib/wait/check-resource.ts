import { promises as fsp } from 'node:fs';
import { connect } from 'node:net';
import type { Workspace } from '@sparc/batch-core';
import { describeExpected, httpCheck, statusMatches } from '../health/http-check';
import type { Resource } from './resource';

/** `timedOut`: the attempt ran out of time (which says little when the deadline cut it short). */
export type ResourceCheck = { ready: true } | { ready: false; reason: string; timedOut?: boolean };

export interface CheckOptions {
  workspace: Workspace;
  signal: AbortSignal;
  /** For http resources. @default any 2xx */
  expectStatus?: number;
  /** Limit for one request or connection attempt. */
  attemptTimeoutMs: number;
}

/** One look at a resource. Rejects only when `signal` aborts (or a file path leaves the workspace). */
export async function checkResource(resource: Resource, opts: CheckOptions): Promise<ResourceCheck> {
  switch (resource.kind) {
    case 'http': {
      const outcome = await httpCheck(resource.url, { timeoutMs: opts.attemptTimeoutMs, signal: opts.signal });
      if (!outcome.reached) return { ready: false, reason: outcome.reason, timedOut: outcome.timedOut };
      return statusMatches(outcome.status, opts.expectStatus)
        ? { ready: true }
        : { ready: false, reason: `answered ${outcome.status} (expected ${describeExpected(opts.expectStatus)})` };
    }
    case 'tcp':
      return checkTcp(resource.host, resource.port, opts.attemptTimeoutMs, opts.signal);
    case 'file': {
      const absolute = await opts.workspace.resolveReal(resource.path);
      try {
        await fsp.stat(absolute);
        return { ready: true };
      } catch (error) {
        return { ready: false, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${resource.path} does not exist` : (error as Error).message };
      }
    }
  }
}

function checkTcp(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<ResourceCheck> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<ResourceCheck>((resolve, reject) => {
    const socket = connect({ host, port });
    const finish = (outcome: ResourceCheck | { aborted: unknown }) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if ('aborted' in outcome) reject(outcome.aborted);
      else resolve(outcome);
    };
    const onAbort = () => finish({ aborted: signal.reason });
    const timer = setTimeout(() => finish({ ready: false, reason: `no connection within ${timeoutMs} ms`, timedOut: true }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ready: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ ready: false, reason: error.code ? `${error.code} ${host}:${port}` : error.message }));
  });
}
