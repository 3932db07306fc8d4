import { z } from 'zod';

export const retryPolicySchema = z
  .object({
    attempts: z.number().int().min(1).max(100).describe('Total attempts, the first included'),
    backoffMs: z.number().min(0).max(600_000).describe('Delay before the second attempt'),
    maxBackoffMs: z.number().min(0).max(3_600_000).optional(),
    factor: z.number().min(1).max(10).optional(),
  })
  .strict();

export const operationInputSchema = z
  .object({
    id: z.string().min(1, 'must be a non-empty string').max(200).regex(/^\S+$/, 'must not contain white space'),
    type: z.string().min(1),
    params: z.unknown().optional(),
    dependsOn: z.array(z.string().min(1)).optional(),
    timeoutMs: z.number().int().positive().max(86_400_000).optional(),
    retry: retryPolicySchema.optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    description: z.string().optional(),
  })
  .strict();

export const batchInputSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    label: z.string().max(200).optional(),
    operations: z.array(z.unknown()),
    concurrency: z.number().int().min(1).max(10_000).optional(),
    failFast: z.boolean().optional(),
    timeoutMs: z.number().int().positive().max(86_400_000).optional(),
    atomic: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

export type OperationInput = z.input<typeof operationInputSchema>;
export type BatchInput = Omit<z.input<typeof batchInputSchema>, 'operations'> & { operations: OperationInput[] };

const OPERATION_KEYS = new Set(['id', 'type', 'params', 'dependsOn', 'timeoutMs', 'retry', 'priority', 'description']);
const ID_PATTERN = /^\S+$/;

/**
 * A plain-JS check that accepts exactly the common, valid shape of an operation (no retry, no
 * unusual fields) so the engine can validate 100k operations without a schema walk per item.
 * Anything it does not accept goes through the zod schema, which gives the error message.
 */
export function isPlainValidOperation(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const op = value as Record<string, unknown>;
  for (const key in op) if (!OPERATION_KEYS.has(key) || key === 'retry' || key === 'description') return false;
  const id = op.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !ID_PATTERN.test(id)) return false;
  if (typeof op.type !== 'string' || op.type.length === 0) return false;
  const deps = op.dependsOn;
  if (deps !== undefined) {
    if (!Array.isArray(deps)) return false;
    for (let i = 0; i < deps.length; i++) if (typeof deps[i] !== 'string' || (deps[i] as string).length === 0) return false;
  }
  const timeout = op.timeoutMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && (timeout as number) > 0 && (timeout as number) <= 86_400_000)) return false;
  const priority = op.priority;
  if (priority !== undefined && !(Number.isInteger(priority) && Math.abs(priority as number) <= 1_000_000)) return false;
  return true;
}
