import type { z } from 'zod';
import type { ModeOptionsSchema } from './types';

export type OptionType = 'string' | 'number' | 'boolean' | 'enum' | 'array' | 'json';
export type OptionItemType = Exclude<OptionType, 'array' | 'json'>;
export type OptionChoice = string | number | boolean | null;

export interface OptionDescriptor {
  /** Key in the options object (camelCase). */
  name: string;
  /** Command-line flag: `maxDepth` → `--max-depth`. */
  flag: string;
  type: OptionType;
  /** Element type of an `array` option. */
  itemType?: OptionItemType;
  /** From `.describe()`. */
  description?: string;
  /** The schema's default, when it has one. */
  default?: unknown;
  hasDefault: boolean;
  /** No default and not optional: the option must be given. */
  required: boolean;
  /** Allowed values of an `enum` option (or of the items of an `array` of enums). */
  choices?: OptionChoice[];
}

/** The parts of a zod definition this module reads; typed loosely so wrappers of any kind pass. */
interface LooseDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: OptionChoice[];
  options?: z.ZodType[];
  defaultValue?: unknown;
}

function defOf(schema: z.ZodType): LooseDef {
  return (schema as unknown as { _zod: { def: LooseDef } })._zod.def;
}

/** Wrappers that change optionality, defaults or output but not what the flag accepts. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'pipe']);

interface Unwrapped {
  core: z.ZodType;
  description?: string;
  hasDefault: boolean;
  defaultValue?: unknown;
}

/** Peels wrappers off, keeping the outermost description and default. */
function unwrap(schema: z.ZodType): Unwrapped {
  const found: Unwrapped = { core: schema, hasDefault: false };
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    if (found.description === undefined && current.description !== undefined) found.description = current.description;
    const def = defOf(current);
    if ((def.type === 'default' || def.type === 'prefault') && !found.hasDefault) {
      found.hasDefault = true;
      found.defaultValue = def.defaultValue;
    }
    if (!WRAPPERS.has(def.type)) break;
    // For pipes (transforms, codecs) what the user types is the input side.
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (!next) break;
    current = next;
  }
  found.core = current;
  return found;
}

function scalarType(schema: z.ZodType): { type: OptionType; choices?: OptionChoice[] } {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'date':
    case 'template_literal':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'enum', choices: Object.values(def.entries ?? {}) };
    case 'literal':
      return { type: 'enum', choices: [...(def.values ?? [])] };
    case 'union': {
      const choices: OptionChoice[] = [];
      for (const option of def.options ?? []) {
        const inner = scalarType(unwrap(option).core);
        if (inner.type !== 'enum' || !inner.choices) return { type: 'json' };
        choices.push(...inner.choices);
      }
      return { type: 'enum', choices };
    }
    default:
      return { type: 'json' };
  }
}

function describeField(name: string, field: z.ZodType): OptionDescriptor {
  const { core, description, hasDefault, defaultValue } = unwrap(field);
  const descriptor: OptionDescriptor = {
    name,
    flag: toFlag(name),
    type: 'json',
    hasDefault,
    required: acceptsUndefined(field) === false,
  };
  const coreDef = defOf(core);
  if (coreDef.type === 'array' && coreDef.element) {
    const item = scalarType(unwrap(coreDef.element).core);
    if (item.type !== 'json' && item.type !== 'array') {
      descriptor.type = 'array';
      descriptor.itemType = item.type;
      if (item.choices) descriptor.choices = item.choices;
    }
  } else {
    const scalar = scalarType(core);
    descriptor.type = scalar.type;
    if (scalar.choices) descriptor.choices = scalar.choices;
  }
  if (description !== undefined) descriptor.description = description;
  if (hasDefault) descriptor.default = defaultValue;
  return descriptor;
}

/** What the schema itself accepts decides: `.optional()`, `.default()` and `.catch()` all take undefined. */
function acceptsUndefined(field: z.ZodType): boolean {
  try {
    return field.safeParse(undefined).success;
  } catch {
    // Async refinements cannot run synchronously; fall back to the declared optionality.
    return field.isOptional();
  }
}

/** One descriptor per top-level option, in declaration order. */
export function describeOptions(schema: ModeOptionsSchema): OptionDescriptor[] {
  return Object.entries(schema.shape).map(([name, field]) => describeField(name, field as z.ZodType));
}

/** `maxDepth` → `--max-depth`. */
export function toFlag(name: string): string {
  return `--${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase()}`;
}

/** `max-depth`, `--max-depth` or `maxDepth` → `maxDepth`. */
export function toOptionName(flagOrName: string): string {
  return flagOrName.replace(/^-+/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** JSON Schema of what callers send (the input side: defaults make fields optional), for MCP tool declarations. */
export function optionsJsonSchema(schema: ModeOptionsSchema): Record<string, unknown> {
  // Loaded here, not at the top: describing options for --help must not pay for zod.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toJSONSchema } = require('zod') as typeof import('zod');
  return toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * Lines for `--help`: flag, value hint, description, default, required. Takes the schema, or its
 * descriptors when they were written down ahead of time (a CLI that keeps zod out of start-up).
 */
export function formatOptionsHelp(schema: ModeOptionsSchema | readonly OptionDescriptor[]): string[] {
  const descriptors = isDescriptorList(schema) ? schema : describeOptions(schema);
  const rows = descriptors.map((option) => {
    const left = `${option.flag}${valueHint(option)}`;
    const notes: string[] = [];
    if (option.description) notes.push(option.description);
    if (option.type === 'array') notes.push('comma list or repeat the flag');
    if (option.required) notes.push('required');
    else if (option.hasDefault && !isEmptyDefault(option.default)) notes.push(`default: ${formatDefault(option)}`);
    return { left, right: notes.join('; ') };
  });
  if (rows.length === 0) return ['  (no options)'];
  const width = Math.max(...rows.map((row) => row.left.length));
  return rows.map((row) => (row.right ? `  ${row.left.padEnd(width)}  ${row.right}` : `  ${row.left}`));
}

function isDescriptorList(value: ModeOptionsSchema | readonly OptionDescriptor[]): value is readonly OptionDescriptor[] {
  return Array.isArray(value);
}

function valueHint(option: OptionDescriptor): string {
  switch (option.type) {
    case 'boolean':
      return '';
    case 'enum':
      return ` <${(option.choices ?? []).map(String).join('|')}>`;
    case 'array':
      return option.choices ? ` <${option.choices.map(String).join('|')},...>` : ` <${option.itemType},...>`;
    default:
      return ` <${option.type}>`;
  }
}

function isEmptyDefault(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

function formatDefault(option: OptionDescriptor): string {
  const value = option.default;
  if (Array.isArray(value)) return value.map(String).join(',');
  // Quoted for free text so "" and " " stay visible; enum choices read better bare.
  if (typeof value === 'string') return option.type === 'enum' ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
