import { z } from 'zod';

export const checkOptionsSchema = z.object({
  services: z.string().min(1).optional().describe("Services manifest inside the workspace (JSON or YAML); default: the spec's services"),
  concurrency: z.number().int().min(1).max(256).default(16).describe('Probe requests in flight at the same time (1: one after the other)'),
  startConcurrency: z.number().int().min(1).max(1000).default(64).describe('Services started and waited for at the same time (dependencies still come first; 1: one after the other)'),
  readinessTimeoutMs: z.number().int().positive().max(3_600_000).default(30_000).describe('Time a service has to become healthy when its manifest entry sets none'),
  probeTimeoutMs: z.number().int().positive().max(600_000).default(10_000).describe('Limit for one probe request'),
  retries: z.number().int().min(0).max(10).default(2).describe('Extra attempts of a probe after a connection error or a timeout'),
  repeat: z.number().int().min(1).max(1000).default(1).describe('Times each probe is sent; latency p50/p95 per endpoint use every response'),
  stopGraceMs: z.number().int().min(0).max(60_000).default(3000).describe('Wait between SIGTERM and SIGKILL when stopping a service'),
  timeoutMs: z.number().int().positive().max(86_400_000).default(600_000).describe('Limit for the whole check; every started service is stopped when it is reached'),
});
export type CheckOptions = z.output<typeof checkOptionsSchema>;

export const waitOptionsSchema = z.object({
  resources: z.array(z.string().min(1)).min(1, 'name at least one resource').describe('http(s)://…, tcp:host:port or file:path (inside the workspace)'),
  intervalMs: z.number().int().min(1).max(600_000).default(250).describe('Pause between two looks at a resource that is not ready'),
  timeoutMs: z.number().int().positive().max(86_400_000).default(60_000).describe('Give up on a resource after this long'),
  expectStatus: z.number().int().min(100).max(599).optional().describe('Status that counts as ready for http(s) resources (default: any 2xx)'),
  attemptTimeoutMs: z.number().int().positive().max(600_000).default(2000).describe('Limit for one request or connection attempt'),
});
export type WaitOptions = z.output<typeof waitOptionsSchema>;
