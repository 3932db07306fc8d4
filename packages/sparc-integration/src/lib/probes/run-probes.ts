import type { ModeEngine, OperationResult, ProbeSpec } from '@sparc/batch-core';
import type { Contract } from '../contract/contract';
import { checkResponse, type ProbeResponse } from '../contract/check-response';
import type { Violation } from '../contract/violation';
import { percentile } from './percentiles';
import { probeUrl } from './probe-url';

export interface ProbeTarget {
  service: string;
  baseUrl: string;
  probe: ProbeSpec;
  contract?: Contract;
}

export interface ProbeResult {
  service: string;
  method: string;
  path: string;
  /** The last status received; 0 when no response came. */
  status: number;
  ok: boolean;
  /** The slowest response (or attempt) of the probe. */
  durationMs: number;
  violations: Violation[];
}

export interface EndpointLatency {
  service: string;
  /** `GET /pets/{petId}`: the contract's template when there is one. */
  endpoint: string;
  samples: number;
  p50Ms: number;
  p95Ms: number;
}

export interface ProbeRunOptions {
  engine: ModeEngine;
  signal: AbortSignal;
  /** Requests in flight at once. */
  concurrency: number;
  /** Limit per request. */
  timeoutMs: number;
  /** Extra attempts after a connection error or timeout. */
  retries: number;
  /** Times each probe is sent. */
  repeat: number;
}

/** Every HTTP status: the probe judges statuses itself, so none may fail the operation. */
const ANY_STATUS = Array.from({ length: 500 }, (_, i) => 100 + i);

interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  durationMs: number;
}

/**
 * Sends every probe (`repeat` times each) as one batch of `http.request` operations on the mode's
 * engine: concurrent, each with its timeout and retried on connection errors and timeouts. Then
 * checks every response against its probe and contract.
 */
export async function runProbes(targets: readonly ProbeTarget[], opts: ProbeRunOptions): Promise<{ probes: ProbeResult[]; latency: EndpointLatency[] }> {
  if (targets.length === 0) return { probes: [], latency: [] };
  const operations = targets.flatMap((target, index) =>
    Array.from({ length: opts.repeat }, (_, round) => ({
      id: `probe${index}.${round}`,
      type: 'http.request',
      params: {
        url: probeUrl(target.baseUrl, target.probe.path),
        method: target.probe.method,
        ...requestBody(target.probe.body),
        expectStatus: ANY_STATUS,
        timeoutMs: opts.timeoutMs,
        responseType: 'text',
      },
      ...(opts.retries > 0 ? { retry: { attempts: opts.retries + 1, backoffMs: 100, maxBackoffMs: 2000 } } : {}),
    })),
  );
  const batch = await opts.engine.run({ label: 'integration-probes', concurrency: opts.concurrency, operations }, { signal: opts.signal });
  const byId = new Map(batch.results.map((r) => [r.id, r]));

  const samples = new Map<string, { service: string; endpoint: string; durations: number[] }>();
  const probes = targets.map((target, index): ProbeResult => {
    const violations: Violation[] = [];
    const seen = new Set<string>();
    const add = (list: Violation[]) => {
      for (const v of list) {
        const key = `${v.check}\u0000${v.pointer ?? ''}\u0000${v.message}`;
        if (!seen.has(key)) violations.push(v);
        seen.add(key);
      }
    };
    let status = 0;
    let slowest = 0;
    for (let round = 0; round < opts.repeat; round++) {
      const result = byId.get(`probe${index}.${round}`);
      if (!result) continue;
      const response = responseOf(result);
      if (!response) {
        slowest = Math.max(slowest, result.durationMs);
        add([failureViolation(result)]);
        continue;
      }
      status = response.status;
      slowest = Math.max(slowest, response.durationMs);
      const check = checkResponse(target.probe, response, target.contract);
      add(check.violations);
      const endpoint = `${target.probe.method} ${check.endpoint}`;
      const key = `${target.service}\u0000${endpoint}`;
      const entry = samples.get(key) ?? { service: target.service, endpoint, durations: [] };
      entry.durations.push(response.durationMs);
      samples.set(key, entry);
    }
    return { service: target.service, method: target.probe.method, path: target.probe.path, status, ok: violations.length === 0, durationMs: round3(slowest), violations };
  });
  const latency = [...samples.values()].map((s) => ({
    service: s.service,
    endpoint: s.endpoint,
    samples: s.durations.length,
    p50Ms: round3(percentile(s.durations, 50)),
    p95Ms: round3(percentile(s.durations, 95)),
  }));
  return { probes, latency };
}

/** Objects and arrays go as JSON (the engine sets the content type); strings as they are; other values as JSON text. */
function requestBody(body: unknown): { body?: unknown; headers?: Record<string, string> } {
  if (body === undefined) return {};
  if (typeof body === 'string' || (typeof body === 'object' && body !== null)) return { body };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

function responseOf(result: OperationResult): ProbeResponse | undefined {
  if (result.status !== 'succeeded') return undefined;
  const output = result.output as HttpOutput;
  return { status: output.status, headers: output.headers, body: typeof output.body === 'string' ? output.body : JSON.stringify(output.body ?? ''), durationMs: output.durationMs };
}

function failureViolation(result: OperationResult): Violation {
  const attempts = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
  const message = result.error?.message ?? result.status;
  if (result.status === 'cancelled') return { check: 'timeout', message: `not completed: ${message}` };
  if (result.status === 'timed-out' || result.error?.code === 'TIMEOUT') return { check: 'timeout', message: `no response${attempts}: ${message}` };
  return { check: 'connection', message: `no response${attempts}: ${message}` };
}

function round3(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : 0;
}
