import { assertModeDefinition, ModeDefinitionError, type ModeDefinition, type ValidationIssue } from '@sparc/batch-core';
import { batchModeRun, parseBatchModeFields } from './batch-mode';
import { declaredOptionsSchema } from './declared-options';

/**
 * Custom modes from a config, in any of three forms:
 * - `defineMode({...})` from `@sparc/batch-core` (when the config can import it);
 * - a plain object `{ name, summary, options?, commands?, run }` whose options are a zod object or
 *   declared as data (see declared-options.ts) — for configs without node_modules;
 * - a declared batch `{ name, summary, options?, operations }` (see batch-mode.ts) — for JSON.
 * Each ends as a frozen ModeDefinition checked by `assertModeDefinition`.
 */

const MODE_KEYS = new Set(['name', 'summary', 'options', 'data', 'positionals', 'commands', 'run', 'operations', 'concurrency']);
const COMMAND_KEYS = new Set(['summary', 'options', 'data', 'positionals', 'run']);

function isZodObject(value: unknown): boolean {
  const def = (value as { _zod?: { def?: { type?: string } } } | null)?._zod?.def;
  return typeof value === 'object' && value !== null && def?.type === 'object' && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(candidate: Record<string, unknown>, allowed: Set<string>, path: string, issues: ValidationIssue[]): void {
  for (const key of Object.keys(candidate)) {
    if (!allowed.has(key)) issues.push({ path: `${path}.${key}`, message: `unknown field (known: ${[...allowed].join(', ')})` });
  }
}

function optionsOf(value: unknown, path: string, issues: ValidationIssue[]): unknown {
  return isZodObject(value) ? value : declaredOptionsSchema(value, path, issues);
}

/** One config entry as a ModeDefinition; every problem is reported with its path (`modes[2].options.max`). */
export function toModeDefinition(candidate: unknown, path: string): { mode?: ModeDefinition; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(candidate)) {
    return { issues: [{ path, message: 'must be a mode: defineMode({...}) or { name, summary, options?, run } or { name, summary, options?, operations }' }] };
  }
  unknownKeys(candidate, MODE_KEYS, path, issues);
  const normalized: Record<string, unknown> = {
    name: candidate.name,
    summary: candidate.summary,
    options: optionsOf(candidate.options, `${path}.options`, issues),
    ...(candidate.data !== undefined ? { data: candidate.data } : {}),
    ...(candidate.positionals !== undefined ? { positionals: candidate.positionals } : {}),
  };

  if (candidate.operations !== undefined) {
    if (candidate.run !== undefined) issues.push({ path: `${path}.operations`, message: 'a mode has either "run" or "operations", not both' });
    const fields = parseBatchModeFields(candidate, path, issues);
    normalized.run = fields ? batchModeRun(String(candidate.name), fields) : () => Promise.reject(new Error('invalid batch mode'));
  } else {
    if (candidate.concurrency !== undefined) issues.push({ path: `${path}.concurrency`, message: 'only a batch mode ("operations") takes a concurrency' });
    normalized.run = candidate.run;
  }

  if (candidate.commands !== undefined) {
    if (!isPlainObject(candidate.commands)) {
      issues.push({ path: `${path}.commands`, message: 'must be an object of subcommands by name' });
    } else {
      const commands: Record<string, unknown> = {};
      for (const [name, command] of Object.entries(candidate.commands)) {
        if (!isPlainObject(command)) {
          issues.push({ path: `${path}.commands.${name}`, message: 'must be an object with summary, options and run' });
          continue;
        }
        unknownKeys(command, COMMAND_KEYS, `${path}.commands.${name}`, issues);
        commands[name] = { ...command, options: optionsOf(command.options, `${path}.commands.${name}.options`, issues) };
      }
      normalized.commands = commands;
    }
  }

  if (issues.length > 0) return { issues };
  try {
    assertModeDefinition(normalized);
  } catch (error) {
    if (error instanceof ModeDefinitionError) return { issues: error.issues.map((issue) => ({ path: `${path}.${issue.path}`, message: issue.message })) };
    throw error;
  }
  const commands = Object.fromEntries(Object.entries((normalized.commands ?? {}) as Record<string, object>).map(([k, c]) => [k, Object.freeze({ ...c })]));
  return { mode: Object.freeze({ ...normalized, commands: Object.freeze(commands) }) as ModeDefinition, issues };
}
