/**
 * OpenAPI schema objects → JSON Schema. 3.1 schemas already are JSON Schema 2020-12; 3.0 schemas
 * are an extended subset of draft 4/5 with `nullable`, which no JSON Schema validator knows, and
 * boolean `exclusiveMinimum`/`exclusiveMaximum`, which draft 7 spells as numbers.
 */

export type OpenApiVersion = '3.0' | '3.1';

const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];

/** Called for every `$ref` left in a schema (recursive ones); returns what the `$ref` should say instead. */
export type RefRewriter = (ref: string) => string;

/**
 * Converts one schema (and its subschemas) for a JSON Schema validator: draft 7 for 3.0, 2020-12
 * for 3.1. Shared subschemas are converted once (`memo`), so a dereferenced DAG stays a DAG.
 */
export function toJsonSchema(schema: unknown, version: OpenApiVersion, rewriteRef: RefRewriter, memo = new WeakMap<object, unknown>()): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const cached = memo.get(schema);
  if (cached !== undefined) return cached;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const convert = (child: unknown) => toJsonSchema(child, version, rewriteRef, memo);
  for (const [key, value] of Object.entries(source)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = rewriteRef(value);
    else if (SCHEMA_KEYWORDS.includes(key)) out[key] = Array.isArray(value) ? value.map(convert) : convert(value);
    else if (SCHEMA_LIST_KEYWORDS.includes(key) && Array.isArray(value)) out[key] = value.map(convert);
    else if (SCHEMA_MAP_KEYWORDS.includes(key) && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, child]) => [name, convert(child)]));
    } else out[key] = value;
  }
  const result = version === '3.0' ? fromOpenApi30(out) : out;
  memo.set(schema, result);
  return result;
}

function fromOpenApi30(schema: Record<string, unknown>): Record<string, unknown> {
  for (const [flag, limit] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (typeof schema[flag] !== 'boolean') continue;
    if (schema[flag] === true && typeof schema[limit] === 'number') {
      schema[flag] = schema[limit];
      delete schema[limit];
    } else delete schema[flag];
  }
  if (!('nullable' in schema)) return schema;
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  if (Array.isArray(rest.enum) && !rest.enum.includes(null)) rest.enum = [...rest.enum, null];
  if (typeof rest.type === 'string') return { ...rest, type: [rest.type, 'null'] };
  if (Array.isArray(rest.type)) return rest.type.includes('null') ? rest : { ...rest, type: [...rest.type, 'null'] };
  // No type to widen (allOf/oneOf/$ref): null is accepted beside whatever the rest accepts.
  return { anyOf: [rest, { type: 'null' }] };
}
