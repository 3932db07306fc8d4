import { z } from 'zod';

export const violationSchema = z.object({
  check: z.string(),
  pointer: z.string().optional(),
  message: z.string(),
});

export const serviceHealthSchema = z.object({
  name: z.string(),
  healthy: z.boolean(),
  readyMs: z.number().nonnegative().optional(),
  error: z.string().optional(),
});

export const probeResultSchema = z.object({
  service: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  violations: z.array(violationSchema),
});

export const endpointLatencySchema = z.object({
  service: z.string(),
  endpoint: z.string(),
  samples: z.number().int().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
});

export const envConsistencySchema = z.object({
  services: z.array(z.object({ name: z.string(), required: z.array(z.string()), missing: z.array(z.string()), files: z.array(z.string()) })),
  shared: z.array(z.object({ key: z.string(), services: z.array(z.string()), consistent: z.boolean(), fingerprints: z.record(z.string(), z.string()) })),
});

export const processStopSchema = z.object({
  service: z.string(),
  /** Process group id (the pid of the start command's shell). */
  pid: z.number().int(),
  how: z.enum(['already-exited', 'terminated', 'killed']),
  stopped: z.boolean(),
});

/** `sparc integration check --json`: `services` and `probes` as the issue fixes them, then the extras. */
export const checkDataSchema = z.object({
  services: z.array(serviceHealthSchema),
  probes: z.array(probeResultSchema),
  latency: z.array(endpointLatencySchema),
  env: envConsistencySchema,
  processes: z.array(processStopSchema),
});
export type CheckData = z.output<typeof checkDataSchema>;

export const resourceWaitSchema = z.object({
  resource: z.string(),
  kind: z.enum(['http', 'tcp', 'file']),
  ready: z.boolean(),
  waitedMs: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  error: z.string().optional(),
});

export const waitDataSchema = z.object({ resources: z.array(resourceWaitSchema) });
export type WaitData = z.output<typeof waitDataSchema>;
