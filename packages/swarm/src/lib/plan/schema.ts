import { retryPolicySchema } from '@sparc/batch-core';
import { z } from 'zod';
import { KNOWN_AGENT_TYPES, TOPOLOGIES } from '../model/types';

/**
 * Ids, types and capabilities end up in queue names, job ids and report folder names, so they
 * stay within letters, digits, ".", "_" and "-".
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const nameSchema = z
  .string()
  .min(1, 'must be a non-empty string')
  .max(120, 'must be at most 120 characters')
  .regex(NAME_PATTERN, 'may only hold letters, digits, ".", "_" and "-", and must start with a letter or digit')
  .refine((value) => !value.includes('..'), 'must not contain ".."');

export const agentSpecSchema = z.strictObject({
  type: nameSchema.describe(`${KNOWN_AGENT_TYPES.join(', ')}, or your own`),
  count: z.number().int().min(1).max(1000).default(1),
  /** The type is always one of them. */
  capabilities: z.array(nameSchema).optional(),
  /** Tasks one agent runs at once. */
  concurrency: z.number().int().min(1).max(1000).default(1),
});

const objectPayload = z.record(z.string(), z.unknown());

export const modePayloadSchema = z.strictObject({
  name: z.string().min(1, 'must name a mode'),
  options: objectPayload.optional(),
  command: z.string().min(1).optional(),
});

export const taskSpecSchema = z
  .strictObject({
    id: nameSchema,
    capability: nameSchema,
    batch: objectPayload.optional(),
    operation: objectPayload.optional(),
    mode: modePayloadSchema.optional(),
    dependsOn: z.array(z.string().min(1)).optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    retry: retryPolicySchema.optional(),
    timeoutMs: z.number().int().positive().max(86_400_000).optional(),
    description: z.string().optional(),
  })
  .superRefine((task, ctx) => {
    const given = (['batch', 'operation', 'mode'] as const).filter((key) => task[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given.length === 0 ? [] : [given[1]],
        message: given.length === 0 ? 'needs one of "batch", "operation" or "mode"' : `has both "${given[0]}" and "${given[1]}"; give exactly one`,
      });
    }
  });

const componentModeSchema = z.union([z.string().min(1), modePayloadSchema]);

/** The seed's swarm pattern: components, each with its modes and agent count, run in parallel. */
export const componentSpecSchema = z.strictObject({
  name: nameSchema,
  modes: z.array(componentModeSchema).min(1, 'needs at least one mode'),
  agents: z.number().int().min(1).max(1000).default(1),
  /** Agent type of the component's agents. */
  type: nameSchema.default('coder'),
  /** Run the component's modes at the same time instead of one after the other (each seeing the earlier ones' results). */
  parallel: z.boolean().default(false),
  /** Components that must finish first. */
  dependsOn: z.array(nameSchema).optional(),
});

export const planSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  topology: z.enum(TOPOLOGIES).default('mesh'),
  agents: z.array(agentSpecSchema).default([]),
  tasks: z.array(taskSpecSchema).default([]),
  components: z.array(componentSpecSchema).optional(),
});

export type AgentSpec = z.input<typeof agentSpecSchema>;
export type TaskSpec = z.input<typeof taskSpecSchema>;
export type ComponentSpec = z.input<typeof componentSpecSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type ParsedPlanInput = z.output<typeof planSchema>;
