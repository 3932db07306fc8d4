import { z } from 'zod';

/** What a mode's `run` must return. Loaded only to explain a result the plain check refused (see mode-result.ts). */
export const findingSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  rule: z.string().min(1),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().nonnegative().optional(),
});

export const modeResultSchema = z.object({
  status: z.enum(['passed', 'warning', 'failed']),
  summary: z.string(),
  findings: z.array(findingSchema),
  data: z.unknown(),
  artifacts: z.array(z.string()),
});
