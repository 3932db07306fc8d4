import type { z } from 'zod';

/**
 * A zod schema written down as plain data (see `toPlainSchema`), and a validator for it that needs
 * no zod. Loading zod costs a short process tens of milliseconds (it brings every locale along), so
 * a hot path can check a value against the plain form and load zod only when the value is
 * rejected, to get zod's own error messages (`plainFirst`).
 *
 * Only what option and data schemas use is covered; `toPlainSchema` refuses anything else. Within
 * that subset `parsePlain` accepts exactly what zod accepts and returns what zod returns: a new
 * object per object schema with its keys in shape order, unknown keys stripped, defaults filled in.
 */
export type PlainCheck =
  | { check: 'min_length'; minimum: number }
  | { check: 'max_length'; maximum: number }
  | { check: 'greater_than'; value: number; inclusive: boolean }
  | { check: 'less_than'; value: number; inclusive: boolean }
  | { check: 'safeint' };

export type PlainLiteral = string | number | boolean | null;

export type PlainSchema =
  | { type: 'string'; checks?: PlainCheck[] }
  | { type: 'number'; checks?: PlainCheck[] }
  | { type: 'boolean' }
  | { type: 'unknown' }
  | { type: 'enum'; values: PlainLiteral[] }
  | { type: 'array'; element: PlainSchema; checks?: PlainCheck[] }
  | { type: 'object'; shape: Record<string, PlainSchema>; strict?: true }
  | { type: 'optional'; inner: PlainSchema }
  | { type: 'nullable'; inner: PlainSchema }
  | { type: 'default'; inner: PlainSchema; value: unknown };

export type PlainParseResult = { ok: true; value: unknown } | { ok: false };

const REJECTED: PlainParseResult = { ok: false };

/** Validates `input` against `schema` the way zod would; `{ ok: false }` carries no reason (ask zod for one). */
export function parsePlain(schema: PlainSchema, input: unknown): PlainParseResult {
  switch (schema.type) {
    case 'string':
      return typeof input === 'string' && passesChecks(schema.checks, input) ? { ok: true, value: input } : REJECTED;
    case 'number':
      return typeof input === 'number' && Number.isFinite(input) && passesChecks(schema.checks, input) ? { ok: true, value: input } : REJECTED;
    case 'boolean':
      return typeof input === 'boolean' ? { ok: true, value: input } : REJECTED;
    case 'unknown':
      return { ok: true, value: input };
    case 'enum':
      return schema.values.includes(input as PlainLiteral) ? { ok: true, value: input } : REJECTED;
    case 'array':
      return parseArray(schema.element, schema.checks, input);
    case 'object':
      return parseObject(schema, input);
    case 'optional':
      return input === undefined ? { ok: true, value: undefined } : parsePlain(schema.inner, input);
    case 'nullable':
      return input === null ? { ok: true, value: null } : parsePlain(schema.inner, input);
    case 'default':
      return input === undefined ? { ok: true, value: copyOf(schema.value) } : parsePlain(schema.inner, input);
  }
}

function parseArray(element: PlainSchema, checks: PlainCheck[] | undefined, input: unknown): PlainParseResult {
  if (!Array.isArray(input)) return REJECTED;
  const out: unknown[] = new Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const item = parsePlain(element, input[i]);
    if (!item.ok) return REJECTED;
    out[i] = item.value;
  }
  return passesChecks(checks, input) ? { ok: true, value: out } : REJECTED;
}

/** zod's rules for a key: an absent optional key stays absent, an absent defaulted key gets its default. */
function parseObject(schema: Extract<PlainSchema, { type: 'object' }>, input: unknown): PlainParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return REJECTED;
  const record = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    const field = schema.shape[key];
    const present = key in record;
    const optionalIn = optionalityIn(field);
    if (!present && optionalIn === undefined) return REJECTED;
    if (!present && optionalIn === 'optional' && isOptionalOut(field)) continue;
    const result = parsePlain(field, record[key]);
    if (!result.ok) {
      if (!present && optionalIn !== undefined && isOptionalOut(field)) continue;
      return REJECTED;
    }
    if (result.value !== undefined || present || (optionalIn === 'defaulted' && !isOptionalOut(field))) out[key] = result.value;
  }
  if (schema.strict) {
    for (const key in record) if (!Object.hasOwn(schema.shape, key)) return REJECTED;
  }
  return { ok: true, value: out };
}

/** zod's `optin`: whether an absent key is allowed, and whether something is put in its place. */
function optionalityIn(schema: PlainSchema): 'optional' | 'defaulted' | undefined {
  if (schema.type === 'default') return 'defaulted';
  if (schema.type === 'optional') return optionalityIn(schema.inner) === 'defaulted' ? 'defaulted' : 'optional';
  if (schema.type === 'nullable') return optionalityIn(schema.inner);
  return undefined;
}

/** zod's `optout`: whether the output may lack the key. */
function isOptionalOut(schema: PlainSchema): boolean {
  if (schema.type === 'optional') return true;
  if (schema.type === 'nullable') return isOptionalOut(schema.inner);
  return false;
}

function passesChecks(checks: PlainCheck[] | undefined, value: string | number | unknown[]): boolean {
  if (checks === undefined) return true;
  for (const check of checks) {
    switch (check.check) {
      case 'min_length':
        if (lengthOf(value) < check.minimum) return false;
        break;
      case 'max_length':
        if (lengthOf(value) > check.maximum) return false;
        break;
      case 'greater_than':
        if (!(check.inclusive ? (value as number) >= check.value : (value as number) > check.value)) return false;
        break;
      case 'less_than':
        if (!(check.inclusive ? (value as number) <= check.value : (value as number) < check.value)) return false;
        break;
      case 'safeint':
        if (!Number.isSafeInteger(value)) return false;
        break;
    }
  }
  return true;
}

/** zod measures strings in code points, arrays in elements. */
function lengthOf(value: string | number | unknown[]): number {
  if (typeof value === 'string') {
    let count = 0;
    for (const _ of value) count++;
    return count;
  }
  return (value as unknown[]).length;
}

/** Defaults are JSON; each parse gets its own copy, as zod's defaults are copied too. */
function copyOf(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** What a zod schema and a `plainFirst` stand-in both offer. */
export interface SafeParsing<T = unknown> {
  safeParse(value: unknown): z.ZodSafeParseResult<T>;
  safeParseAsync(value: unknown): Promise<z.ZodSafeParseResult<T>>;
}

/**
 * Stands in for the zod schema that `load` returns: a value the plain schema accepts is answered
 * without zod; any other value goes to the zod schema (loaded then, once), so rejections carry
 * zod's issues and messages exactly. `shape` lists an object schema's keys, as zod's does.
 */
export function plainFirst<T>(plain: PlainSchema, load: () => SafeParsing<T>): SafeParsing<T> & { readonly shape: Readonly<Record<string, PlainSchema>> } {
  let schema: SafeParsing<T> | undefined;
  const zod = () => (schema ??= load());
  return {
    shape: plain.type === 'object' ? plain.shape : {},
    safeParse(value) {
      const result = parsePlain(plain, value);
      return result.ok ? { success: true, data: result.value as T } : zod().safeParse(value);
    },
    async safeParseAsync(value) {
      const result = parsePlain(plain, value);
      return result.ok ? { success: true, data: result.value as T } : zod().safeParseAsync(value);
    },
  };
}
