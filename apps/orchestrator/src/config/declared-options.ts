import type { ValidationIssue } from '@sparc/batch-core';
import { z } from 'zod';

/**
 * Options declared without zod, for configs that cannot import it (a JSON config, or a JS config
 * in a workspace with no node_modules):
 *
 * ```json
 * { "pattern": { "type": "string", "default": "TODO", "description": "What to look for" },
 *   "max": "integer", "paths": { "type": "array", "items": "string" },
 *   "level": { "type": "enum", "values": ["low", "high"], "optional": true } }
 * ```
 * They become the zod object every surface (CLI flags, MCP, pipelines) reads.
 */

const scalarTypes = ['string', 'number', 'integer', 'boolean'] as const;
const shorthandTypes = [...scalarTypes, 'string[]', 'number[]', 'integer[]', 'boolean[]'] as const;

const declaredOptionSchema = z.union([
  z.enum(shorthandTypes),
  z
    .object({
      type: z.enum([...scalarTypes, 'array', 'enum']),
      items: z.enum(scalarTypes).optional(),
      values: z.array(z.string().min(1)).min(1).optional(),
      default: z.unknown().optional(),
      description: z.string().optional(),
      optional: z.boolean().optional(),
    })
    .strict(),
]);

type DeclaredOption = z.output<typeof declaredOptionSchema>;

function scalar(type: (typeof scalarTypes)[number]): z.ZodType {
  switch (type) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'integer':
      return z.number().int();
    case 'boolean':
      return z.boolean();
  }
}

function optionSchema(declared: DeclaredOption, path: string, issues: ValidationIssue[]): z.ZodType {
  if (typeof declared === 'string') {
    return declared.endsWith('[]') ? z.array(scalar(declared.slice(0, -2) as (typeof scalarTypes)[number])) : scalar(declared as (typeof scalarTypes)[number]);
  }
  let schema: z.ZodType;
  if (declared.type === 'enum') {
    if (!declared.values) {
      issues.push({ path: `${path}.values`, message: 'an enum option needs its values' });
      return z.never();
    }
    schema = z.enum(declared.values as [string, ...string[]]);
  } else if (declared.type === 'array') {
    schema = z.array(scalar(declared.items ?? 'string'));
  } else {
    schema = scalar(declared.type);
  }
  if (declared.description) schema = schema.describe(declared.description);
  if (declared.default !== undefined) {
    const check = schema.safeParse(declared.default);
    if (!check.success) {
      issues.push({ path: `${path}.default`, message: `does not fit the option's type: ${check.error.issues[0]?.message ?? 'invalid'}` });
      return schema;
    }
    return (schema as z.ZodString).default(check.data as never);
  }
  return declared.optional ? schema.optional() : schema;
}

/** The zod object for declared options; problems are pushed to `issues` with paths under `path`. */
export function declaredOptionsSchema(declared: unknown, path: string, issues: ValidationIssue[]): z.ZodObject {
  if (declared === undefined) return z.object({});
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    issues.push({ path, message: 'must be a zod object schema or an object of declared options ({ "name": { "type": "string" } })' });
    return z.object({});
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(declared)) {
    const parsed = declaredOptionSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      issues.push({ path: `${path}.${key}`, message: `expected a type (${shorthandTypes.join(', ')}) or { type, default?, description?, optional?, items?, values? }${issue?.message ? ` (${issue.message})` : ''}` });
      continue;
    }
    shape[key] = optionSchema(parsed.data, `${path}.${key}`, issues);
  }
  return z.object(shape);
}
