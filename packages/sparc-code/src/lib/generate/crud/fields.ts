import type { FieldSpec } from '@sparc/batch-core';
import { tsString } from '../../util/literal';

/** The zod expression that validates one field on create, e.g. `z.array(z.string()).optional()`. */
export function zodExpression(field: FieldSpec): string {
  let expression = baseZod(field);
  if (field.array) expression = `z.array(${expression})`;
  if (field.optional) expression += '.optional()';
  if (field.description !== undefined && field.description.trim() !== '') expression += `.describe(${tsString(field.description.trim())})`;
  return expression;
}

function baseZod(field: FieldSpec): string {
  switch (field.type) {
    case 'string':
      return 'z.string()';
    case 'number':
      return 'z.number()';
    case 'integer':
      return 'z.number().int()';
    case 'boolean':
      return 'z.boolean()';
    case 'date':
      // ISO 8601 date-times with a zone (`Z` or an offset): what `Date.prototype.toISOString` prints.
      return 'z.iso.datetime({ offset: true })';
    case 'enum':
      return `z.enum([${(field.values ?? []).map(tsString).join(', ')}])`;
  }
}

/** The JSON Schema (OpenAPI 3.1 dialect) of one field's value. */
export function jsonSchemaOf(field: FieldSpec): Record<string, unknown> {
  let schema: Record<string, unknown>;
  switch (field.type) {
    case 'string':
      schema = { type: 'string' };
      break;
    case 'number':
      schema = { type: 'number' };
      break;
    case 'integer':
      schema = { type: 'integer' };
      break;
    case 'boolean':
      schema = { type: 'boolean' };
      break;
    case 'date':
      schema = { type: 'string', format: 'date-time' };
      break;
    case 'enum':
      schema = { type: 'string', enum: [...(field.values ?? [])] };
      break;
  }
  if (field.array) schema = { type: 'array', items: schema };
  if (field.description !== undefined && field.description.trim() !== '') schema.description = field.description.trim();
  return schema;
}
