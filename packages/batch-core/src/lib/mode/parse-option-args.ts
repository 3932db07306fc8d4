import type { z } from 'zod';
import type { ValidationIssue } from '../errors';
import { describeOptions, toOptionName, type OptionChoice, type OptionDescriptor, type OptionItemType } from './describe-options';
import { ModeOptionsError } from './errors';
import type { SafeParsing } from './plain-schema';
import type { ModeOptionsSchema } from './types';

export type RawOptionValue = string | string[] | boolean;

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Turns command-line values into the options a mode's schema accepts, then validates them.
 * Keys may be camelCase or kebab-case (with or without leading dashes). Arrays accept comma lists
 * and repeated flags; booleans accept a bare flag or `true`/`false`; `json` options take JSON text.
 * Throws `ModeOptionsError` (code `INVALID_OPTIONS`) listing every problem at once.
 */
export function parseOptionArgs<O extends ModeOptionsSchema>(schema: O, raw: Record<string, RawOptionValue>): z.output<O>;
/** The same from descriptors written down ahead of time, with a schema that may be a `plainFirst` stand-in. */
export function parseOptionArgs<T>(schema: Pick<SafeParsing<T>, 'safeParse'>, raw: Record<string, RawOptionValue>, described: readonly OptionDescriptor[]): T;
export function parseOptionArgs(schema: Pick<SafeParsing, 'safeParse'>, raw: Record<string, RawOptionValue>, described?: readonly OptionDescriptor[]): unknown {
  const descriptors = new Map((described ?? describeOptions(schema as ModeOptionsSchema)).map((d) => [d.name, d]));
  const grouped = new Map<string, RawOptionValue[]>();
  const issues: ValidationIssue[] = [];

  for (const [key, value] of Object.entries(raw)) {
    const name = toOptionName(key);
    if (!descriptors.has(name)) {
      const known = [...descriptors.values()].map((d) => d.flag);
      issues.push({ path: name, message: `unknown option "--${key.replace(/^-+/, '')}" (known: ${known.length > 0 ? known.join(', ') : 'none'})` });
      continue;
    }
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }

  const input: Record<string, unknown> = {};
  for (const [name, values] of grouped) {
    const descriptor = descriptors.get(name) as OptionDescriptor;
    const result = coerce(descriptor, values.flatMap((v) => (Array.isArray(v) ? v : [v])));
    if (result.ok) input[name] = result.value;
    else issues.push({ path: name, message: `${descriptor.flag}: ${result.message}` });
  }
  if (issues.length > 0) throw optionsError(issues);

  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw optionsError(
      parsed.error.issues.map((issue) => {
        const path = formatIssuePath(issue.path);
        const descriptor = descriptors.get(String(issue.path[0] ?? ''));
        return { path, message: descriptor ? `${descriptor.flag}: ${issue.message}` : issue.message };
      }),
    );
  }
  return parsed.data;
}

function optionsError(issues: ValidationIssue[]): ModeOptionsError {
  return new ModeOptionsError(`invalid options: ${issues.map((i) => i.message).join('; ')}`, issues);
}

/** `['items', 2, 'name']` → `items[2].name`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

function coerce(descriptor: OptionDescriptor, values: (string | boolean)[]): Coerced {
  if (descriptor.type === 'array') {
    const items: unknown[] = [];
    for (const value of values) {
      if (typeof value === 'boolean') return { ok: false, message: 'expects a value (a comma list)' };
      for (const part of value.split(',')) {
        const item = part.trim();
        if (item === '') continue;
        const coerced = coerceScalar(descriptor.itemType ?? 'string', item, descriptor.choices);
        if (!coerced.ok) return coerced;
        items.push(coerced.value);
      }
    }
    return { ok: true, value: items };
  }
  // A bare boolean flag repeated (`--force --force`) still means true; any other repeat is ambiguous.
  const distinct = new Set(values.map(String));
  if (distinct.size > 1) return { ok: false, message: `given more than once with different values (${[...distinct].map((v) => JSON.stringify(v)).join(', ')})` };
  const value = values[values.length - 1];
  if (descriptor.type === 'boolean') {
    if (typeof value === 'boolean') return { ok: true, value };
    return coerceScalar('boolean', value);
  }
  if (typeof value === 'boolean') return { ok: false, message: `expects a value (${descriptor.type === 'enum' ? `one of ${(descriptor.choices ?? []).map(String).join(', ')}` : descriptor.type})` };
  if (descriptor.type === 'json') {
    try {
      return { ok: true, value: JSON.parse(value) };
    } catch (error) {
      return { ok: false, message: `expects JSON (${(error as Error).message})` };
    }
  }
  return coerceScalar(descriptor.type, value, descriptor.choices);
}

function coerceScalar(type: OptionItemType, text: string, choices?: OptionChoice[]): Coerced {
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `expects a number, got ${JSON.stringify(text)}` };
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true') return { ok: true, value: true };
      if (lower === 'false') return { ok: true, value: false };
      return { ok: false, message: `expects true or false, got ${JSON.stringify(text)}` };
    }
    case 'enum': {
      const match = (choices ?? []).find((choice) => String(choice) === text);
      if (match === undefined) return { ok: false, message: `expects one of ${(choices ?? []).map(String).join(', ')}, got ${JSON.stringify(text)}` };
      return { ok: true, value: match };
    }
  }
}
