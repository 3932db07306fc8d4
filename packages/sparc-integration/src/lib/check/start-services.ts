import { promises as fsp } from 'node:fs';
import type { ServiceSpec, Workspace } from '@sparc/batch-core';
import { waitUntilHealthy } from '../health/readiness';
import { runInDependencyOrder } from '../manifest/start-order';
import { probeUrl } from '../probes/probe-url';
import { ServiceProcess } from '../process/service-process';

export interface ServiceOutcome {
  name: string;
  healthy: boolean;
  /** From spawn (or, for a service already running, from the start of the wait) to healthy. */
  readyMs?: number;
  error?: string;
}

export interface StartOptions {
  workspace: Workspace;
  signal: AbortSignal;
  /** Services started and waited for at the same time. */
  concurrency: number;
  /** For services whose manifest entry sets no `readinessTimeoutMs`. */
  readinessTimeoutMs: number;
  /** Every process started is pushed here at once, so the caller can stop it whatever happens next. */
  started: ServiceProcess[];
  progress(message: string): void;
  /** Base environment of started services. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Characters of a failed service's stderr quoted in its error. */
const STDERR_QUOTE_CHARS = 1500;

/**
 * Starts the services in dependency order (a service starts once every service it depends on is
 * healthy; independent ones at the same time) and waits for each to answer its health check.
 * Never throws for a service that fails; rejects only when `signal` aborts.
 */
export async function startServices(services: readonly ServiceSpec[], opts: StartOptions): Promise<Map<string, ServiceOutcome>> {
  const outcomes = new Map<string, ServiceOutcome>();
  await runInDependencyOrder(services, {
    concurrency: opts.concurrency,
    skip: (service, dependency) => {
      outcomes.set(service.name, { name: service.name, healthy: false, error: `not started: it depends on "${dependency}", which is not healthy` });
    },
    start: async (service) => {
      const outcome = await startOne(service, opts);
      outcomes.set(service.name, outcome);
      opts.progress(outcome.healthy ? `${service.name} healthy in ${Math.round(outcome.readyMs ?? 0)} ms` : `${service.name} not healthy`);
      return outcome.healthy;
    },
  });
  return outcomes;
}

async function startOne(service: ServiceSpec, opts: StartOptions): Promise<ServiceOutcome> {
  const healthUrl = probeUrl(service.url, service.health);
  const timeoutMs = service.readinessTimeoutMs ?? opts.readinessTimeoutMs;
  if (service.start === undefined) {
    opts.progress(`waiting for ${service.name} at ${healthUrl}`);
    const ready = await waitUntilHealthy({ url: healthUrl, expectStatus: service.expectStatus, timeoutMs, signal: opts.signal });
    return ready.healthy ? { name: service.name, healthy: true, readyMs: round3(ready.readyMs) } : { name: service.name, healthy: false, error: ready.message };
  }

  let cwd: string;
  try {
    cwd = await opts.workspace.resolveReal(service.cwd ?? '.');
    if (!(await fsp.stat(cwd)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message;
    return { name: service.name, healthy: false, error: `not started: cwd "${service.cwd}" ${reason}` };
  }
  if (opts.signal.aborted) throw opts.signal.reason;
  let child: ServiceProcess;
  try {
    child = ServiceProcess.start({ name: service.name, command: service.start, cwd, env: { ...(opts.env ?? process.env), ...service.env } });
  } catch (error) {
    return { name: service.name, healthy: false, error: (error as Error).message };
  }
  opts.started.push(child);
  opts.progress(`started ${service.name} (pid ${child.pid})`);
  const ready = await waitUntilHealthy({ url: healthUrl, expectStatus: service.expectStatus, timeoutMs, since: child.startedAt, signal: opts.signal, exited: child.exited });
  if (ready.healthy) return { name: service.name, healthy: true, readyMs: round3(ready.readyMs) };
  const stderr = child.stderr().trim();
  const quoted = stderr === '' ? '' : `; stderr: ${stderr.length > STDERR_QUOTE_CHARS ? `…${stderr.slice(-STDERR_QUOTE_CHARS)}` : stderr}`;
  return { name: service.name, healthy: false, error: `${ready.message}${quoted}` };
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
