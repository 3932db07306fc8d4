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

const BATCH_KEYS = new Set(['$schema', 'description', 'label', 'operations', 'concurrency', 'failFast', 'timeoutMs', 'atomic', 'dryRun']);

/** Same as /^\S+$/ on ids (ASCII fast path; anything else is left to the regex). */
function isPlainId(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c <= 32 || c >= 127) return c >= 127 && /^\S+$/.test(id);
  }
  return true;
}

/** The common, valid shape of a batch envelope; anything else goes through the zod schema. */
export function isPlainValidBatch(value: unknown): value is { operations: unknown[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const batch = value as Record<string, unknown>;
  for (const key in batch) if (!BATCH_KEYS.has(key) || key === '$schema' || key === 'description' || key === 'timeoutMs') return false;
  if (!Array.isArray(batch.operations)) return false;
  const concurrency = batch.concurrency;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && (concurrency as number) >= 1 && (concurrency as number) <= 10_000)) return false;
  for (const flag of ['failFast', 'atomic', 'dryRun'] as const) if (batch[flag] !== undefined && typeof batch[flag] !== 'boolean') return false;
  const label = batch.label;
  return label === undefined || (typeof label === 'string' && label.length <= 200);
}

/**
 * A plain-JS check that accepts exactly the common, valid shape of an operation (no retry, no
 * unusual fields) so the engine can validate 100k operations without a schema walk per item.
 * Anything it does not accept goes through the zod schema, which gives the error message.
 */
export function isPlainValidOperation(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const op = value as Record<string, unknown>;
  // A switch on (internalized) key strings is several times cheaper than a Set lookup per key.
  for (const key in op) {
    switch (key) {
      case 'id':
      case 'type':
      case 'params':
      case 'dependsOn':
      case 'timeoutMs':
      case 'priority':
        break;
      default:
        return false;
    }
  }
  const id = op.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !isPlainId(id)) return false;
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
