import { appendPointer, valueAtPointer } from './json-pointer';
import type { ErrorObject } from './schema-compiler';
import { quoteValue, type Violation } from './violation';

/** More than this many schema errors of one body are summed up in a last violation. */
export const MAX_SCHEMA_VIOLATIONS = 20;

/**
 * ajv's errors as violations a person can act on: the pointer names the offending value (for a
 * missing or unexpected property, the property itself), the message says what was expected and
 * what was found.
 */
export function schemaViolations(errors: readonly ErrorObject[], body: unknown): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const error of errors) {
    const violation = toViolation(error, body);
    const key = `${violation.pointer}\u0000${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  if (out.length <= MAX_SCHEMA_VIOLATIONS) return out;
  const kept = out.slice(0, MAX_SCHEMA_VIOLATIONS);
  kept.push({ check: 'schema', message: `and ${out.length - MAX_SCHEMA_VIOLATIONS} more schema violation(s)` });
  return kept;
}

function toViolation(error: ErrorObject, body: unknown): Violation {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  const found = () => quoteValue(valueAtPointer(body, at));
  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      return { check: 'schema', pointer: appendPointer(at, name), message: `required property "${name}" is missing` };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return { check: 'schema', pointer: appendPointer(at, name), message: `property "${name}" is not allowed by the schema (additionalProperties)` };
    }
    case 'unevaluatedProperties': {
      const name = String(params.unevaluatedProperty);
      return { check: 'schema', pointer: appendPointer(at, name), message: `property "${name}" is not allowed by the schema (unevaluatedProperties)` };
    }
    case 'type':
      return { check: 'schema', pointer: at, message: `expected ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}, got ${found()}` };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((v) => quoteValue(v, 30)).join(', ') : '';
      return { check: 'schema', pointer: at, message: `expected one of ${allowed}, got ${found()}` };
    }
    case 'const':
      return { check: 'schema', pointer: at, message: `expected ${quoteValue(params.allowedValue)}, got ${found()}` };
    default:
      return { check: 'schema', pointer: at, message: `${error.message ?? `fails "${error.keyword}"`} (${error.keyword}), got ${found()}` };
  }
}
