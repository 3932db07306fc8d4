import type { z } from 'zod';
import type { ValidationIssue } from '../errors';
import { ModeDefinitionError } from './errors';
import type { ModeCommandDefinition, ModeDefinition, ModeOptionsSchema, ModeRunFunction } from './types';

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Option keys become flags (`maxDepth` → `--max-depth`), so they must be plain identifiers. */
const OPTION_KEY = /^[a-zA-Z][a-zA-Z0-9]*$/;
/** Flags every surface already uses for itself. */
const RESERVED_OPTION_KEYS = new Set(['help']);

/** What a mode author writes; `defineMode` checks it and returns a frozen `ModeDefinition`. */
export interface ModeSpec<O extends ModeOptionsSchema, D extends z.ZodType, C extends Record<string, ModeOptionsSchema>> {
  name: string;
  summary: string;
  options: O;
  data?: D;
  positionals?: string;
  commands?: { [K in keyof C]: ModeCommandDefinition<C[K]> };
  run: ModeRunFunction<O, z.output<D>>;
}

export function defineMode<
  O extends ModeOptionsSchema,
  D extends z.ZodType = z.ZodType<unknown>,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  C extends Record<string, ModeOptionsSchema> = {},
>(spec: ModeSpec<O, D, C>): ModeDefinition<O, D> {
  assertModeDefinition(spec);
  const commands: Record<string, Readonly<ModeCommandDefinition>> = {};
  for (const [name, command] of Object.entries((spec.commands ?? {}) as Record<string, ModeCommandDefinition>)) {
    commands[name] = Object.freeze({ summary: command.summary, options: command.options, data: command.data, positionals: command.positionals, run: command.run });
  }
  return Object.freeze({
    name: spec.name,
    summary: spec.summary,
    options: spec.options,
    data: spec.data,
    positionals: spec.positionals,
    commands: Object.freeze(commands),
    run: spec.run,
  });
}

/** Typed helper for a subcommand whose `data` has its own schema. */
export function defineCommand<O extends ModeOptionsSchema, D extends z.ZodType = z.ZodType<unknown>>(command: ModeCommandDefinition<O, D>): ModeCommandDefinition<O, D> {
  return command;
}

/**
 * Checks a definition's shape. Used by `defineMode` and again by the registry, because custom modes
 * arrive from config files that may not have gone through `defineMode`.
 */
export function assertModeDefinition(candidate: unknown): asserts candidate is ModeDefinition {
  const spec = (candidate ?? {}) as Record<string, unknown>;
  const name = typeof spec.name === 'string' ? spec.name : String(spec.name);
  const issues: ValidationIssue[] = [];
  if (typeof spec.name !== 'string' || !KEBAB_CASE.test(spec.name)) {
    issues.push({ path: 'name', message: `must be kebab-case like "security-review" (got ${JSON.stringify(spec.name)})` });
  }
  checkRunnable(spec, '', issues);
  if (spec.commands !== undefined) {
    if (!isPlainObject(spec.commands)) {
      issues.push({ path: 'commands', message: 'must be an object of subcommands by name' });
    } else {
      for (const [commandName, command] of Object.entries(spec.commands)) {
        if (!KEBAB_CASE.test(commandName)) issues.push({ path: `commands.${commandName}`, message: 'subcommand names must be kebab-case' });
        if (!isPlainObject(command)) issues.push({ path: `commands.${commandName}`, message: 'must be an object with summary, options and run' });
        else checkRunnable(command, `commands.${commandName}.`, issues);
      }
    }
  }
  if (issues.length > 0) throw new ModeDefinitionError(name, issues);
}

function checkRunnable(spec: Record<string, unknown>, prefix: string, issues: ValidationIssue[]): void {
  if (typeof spec.summary !== 'string' || spec.summary.trim() === '') issues.push({ path: `${prefix}summary`, message: 'must be a non-empty string' });
  if (!isZodObject(spec.options)) {
    issues.push({ path: `${prefix}options`, message: 'must be a zod object schema, e.g. z.object({ src: z.string().default(".") })' });
  } else {
    for (const key of Object.keys(spec.options.shape)) {
      if (!OPTION_KEY.test(key)) issues.push({ path: `${prefix}options.${key}`, message: 'option names must be camelCase identifiers (they become --kebab-case flags)' });
      else if (RESERVED_OPTION_KEYS.has(key)) issues.push({ path: `${prefix}options.${key}`, message: `"${key}" is reserved` });
    }
  }
  if (spec.positionals !== undefined) {
    const shape = isZodObject(spec.options) ? spec.options.shape : {};
    if (typeof spec.positionals !== 'string' || !Object.hasOwn(shape, spec.positionals)) {
      issues.push({ path: `${prefix}positionals`, message: `must name one of the options (got ${JSON.stringify(spec.positionals)})` });
    }
  }
  if (spec.data !== undefined && !isZodSchema(spec.data)) issues.push({ path: `${prefix}data`, message: 'must be a zod schema' });
  if (typeof spec.run !== 'function') issues.push({ path: `${prefix}run`, message: 'must be a function (ctx, options) => Promise<ModeResult>' });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Duck-typed so that schemas built with another copy of zod are still recognised. */
export function isZodSchema(value: unknown): value is z.ZodType {
  return isPlainObjectLike(value) && typeof (value as { safeParse?: unknown }).safeParse === 'function' && '_zod' in value;
}

export function isZodObject(value: unknown): value is ModeOptionsSchema {
  return isZodSchema(value) && (value as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'object';
}

function isPlainObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
