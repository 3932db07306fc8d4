import type { z } from 'zod';
import { SparcError } from '../errors';
import type { PlainCheck, PlainLiteral, PlainSchema } from './plain-schema';

/** A zod schema that uses something the plain form does not cover (transforms, refinements, unions...). */
export class UnsupportedPlainSchemaError extends SparcError {
  constructor(readonly at: string, reason: string) {
    super('UNSUPPORTED_PLAIN_SCHEMA', `cannot describe the schema at ${at || '(root)'} as a plain schema: ${reason}`);
  }
}

/** The parts of zod's internals read here. */
interface ZodInternals {
  _zod: { def: ZodDef; values?: Set<unknown> };
}

interface ZodDef {
  type: string;
  checks?: ZodInternals[];
  innerType?: ZodInternals;
  element?: ZodInternals;
  shape?: Record<string, ZodInternals>;
  catchall?: ZodInternals;
  defaultValue?: unknown;
  coerce?: boolean;
  /** Set when the schema is itself a check (`z.int()`). */
  check?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  value?: unknown;
  inclusive?: boolean;
}

/**
 * Writes a zod schema down as a `PlainSchema` (JSON), for code that must validate without loading
 * zod. Throws UnsupportedPlainSchemaError for anything `parsePlain` could not check exactly, so a
 * schema change that leaves the subset fails where the plain form is generated, not at run time.
 */
export function toPlainSchema(schema: z.ZodType): PlainSchema {
  return convert(schema as unknown as ZodInternals, '');
}

function convert(schema: ZodInternals, at: string): PlainSchema {
  const def = schema._zod.def;
  if (def.coerce) throw new UnsupportedPlainSchemaError(at, 'coercion');
  const checks = checksOf(schema, at);
  const withChecks = <S extends PlainSchema>(plain: S): S => (checks.length > 0 ? { ...plain, checks } : plain);
  const noChecks = () => {
    if (checks.length > 0) throw new UnsupportedPlainSchemaError(at, `checks on a ${def.type} schema`);
  };
  switch (def.type) {
    case 'string':
      return withChecks({ type: 'string' });
    case 'number':
      return withChecks({ type: 'number' });
    case 'boolean':
      noChecks();
      return { type: 'boolean' };
    case 'unknown':
      noChecks();
      return { type: 'unknown' };
    case 'enum':
    case 'literal':
      noChecks();
      return { type: 'enum', values: [...(schema._zod.values ?? [])].map((value) => literal(value, at)) };
    case 'array':
      return withChecks({ type: 'array', element: convert(required(def.element, at), `${at}[]`) });
    case 'object': {
      noChecks();
      const shape: Record<string, PlainSchema> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        if (key === '__proto__') throw new UnsupportedPlainSchemaError(at, 'a "__proto__" key');
        shape[key] = convert(field, at ? `${at}.${key}` : key);
      }
      if (Object.getOwnPropertySymbols(def.shape ?? {}).length > 0) throw new UnsupportedPlainSchemaError(at, 'symbol keys');
      const catchall = def.catchall?._zod.def.type;
      if (catchall !== undefined && catchall !== 'never') throw new UnsupportedPlainSchemaError(at, `unknown keys kept (catchall ${catchall})`);
      return catchall === 'never' ? { type: 'object', shape, strict: true } : { type: 'object', shape };
    }
    case 'optional': {
      noChecks();
      const inner = convert(required(def.innerType, at), at);
      if (inner.type === 'default') throw new UnsupportedPlainSchemaError(at, 'an optional default');
      return { type: 'optional', inner };
    }
    case 'nullable':
      noChecks();
      return { type: 'nullable', inner: convert(required(def.innerType, at), at) };
    case 'default':
      noChecks();
      return { type: 'default', inner: convert(required(def.innerType, at), at), value: constantDefault(def, at) };
    default:
      throw new UnsupportedPlainSchemaError(at, `type "${def.type}"`);
  }
}

function checksOf(schema: ZodInternals, at: string): PlainCheck[] {
  const defs = (schema._zod.def.checks ?? []).map((check) => check._zod.def);
  // A schema that is also a check (`z.int()`) runs itself as its first check.
  if (schema._zod.def.check !== undefined) defs.unshift(schema._zod.def);
  return defs.map((def): PlainCheck => {
    switch (def.check) {
      case 'min_length':
        return { check: 'min_length', minimum: finite(def.minimum, at) };
      case 'max_length':
        return { check: 'max_length', maximum: finite(def.maximum, at) };
      case 'greater_than':
        return { check: 'greater_than', value: finite(def.value, at), inclusive: def.inclusive === true };
      case 'less_than':
        return { check: 'less_than', value: finite(def.value, at), inclusive: def.inclusive === true };
      case 'number_format':
        if (def.format === 'safeint') return { check: 'safeint' };
        throw new UnsupportedPlainSchemaError(at, `number format "${def.format}"`);
      default:
        throw new UnsupportedPlainSchemaError(at, `check "${def.check}"`);
    }
  });
}

function required(schema: ZodInternals | undefined, at: string): ZodInternals {
  if (schema === undefined) throw new UnsupportedPlainSchemaError(at, 'a wrapper without an inner schema');
  return schema;
}

function finite(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UnsupportedPlainSchemaError(at, `a non-numeric bound (${String(value)})`);
  return value;
}

function literal(value: unknown, at: string): PlainLiteral {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  throw new UnsupportedPlainSchemaError(at, `the value ${String(value)}`);
}

/** The default must be JSON and the same every time (zod also accepts a function, which could differ per parse). */
function constantDefault(def: ZodDef, at: string): unknown {
  const value = def.defaultValue;
  const text = JSON.stringify(value);
  if (text === undefined || !sameJson(JSON.parse(text), value)) throw new UnsupportedPlainSchemaError(at, 'a default that is not JSON');
  if (JSON.stringify(def.defaultValue) !== text) throw new UnsupportedPlainSchemaError(at, 'a default that changes from one parse to the next');
  return JSON.parse(text);
}

/** True when `value` survives a JSON round trip unchanged (no undefined, NaN, dates, class instances...). */
function sameJson(copy: unknown, value: unknown): boolean {
  if (copy === null || typeof copy !== 'object') return Object.is(copy, value);
  if (Array.isArray(copy)) return Array.isArray(value) && value.length === copy.length && copy.every((item, i) => sameJson(item, value[i]));
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length === Object.keys(copy).length && keys.every((key) => sameJson((copy as Record<string, unknown>)[key], (value as Record<string, unknown>)[key]));
}
