import type { ProbeSpec } from '@sparc/batch-core';
import { freePort, type TestWorkspace } from './harness';

export interface ServiceEntry {
  name: string;
  start?: string;
  cwd?: string;
  env?: Record<string, string>;
  url: string;
  health: string;
  expectStatus?: number;
  readinessTimeoutMs?: number;
  dependsOn?: string[];
  openapi?: string;
  probes?: ProbeSpec[];
}

export interface ServiceOptions {
  routes?: Record<string, unknown>;
  env?: Record<string, string>;
  dependsOn?: string[];
  openapi?: string;
  probes?: ProbeSpec[];
  readinessTimeoutMs?: number;
}

/** A manifest entry that starts the test service script on a free port, recording its pid. */
export async function scriptService(t: TestWorkspace, name: string, opts: ServiceOptions = {}): Promise<ServiceEntry> {
  const port = await freePort();
  return {
    name,
    start: await t.startCommand(),
    env: { PORT: String(port), PID_FILE: t.pidFile(name), SERVICE_NAME: name, ROUTES: JSON.stringify(opts.routes ?? {}), ...opts.env },
    url: `http://127.0.0.1:${port}`,
    health: '/health',
    ...(opts.readinessTimeoutMs !== undefined ? { readinessTimeoutMs: opts.readinessTimeoutMs } : {}),
    ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}),
    ...(opts.openapi ? { openapi: opts.openapi } : {}),
    ...(opts.probes ? { probes: opts.probes } : {}),
  };
}
