import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { didYouMean } from './suggest';

export interface FlagSpec {
  type: 'boolean' | 'string';
  /** Repeatable (`--opt a=1 --opt b=2`). */
  multiple?: boolean;
  short?: string;
  /** Shown in usage errors: `--concurrency N`. */
  valueName?: string;
  /** A boolean that also takes `--flag=false` (kept as the string for the caller to interpret). */
  inlineValue?: boolean;
}

export interface ArgsSpec {
  /** For messages: `sparc batch`. */
  command: string;
  flags: Record<string, FlagSpec>;
  positionals: { min: number; max: number; names: string };
}

export type FlagValue = string | boolean | string[];

/** What a command sees after parsing: typed accessors over flags and the positionals. */
export class ParsedArgs {
  readonly positionals: string[];
  readonly help: boolean;
  #flags: Map<string, FlagValue>;

  constructor(flags: Map<string, FlagValue>, positionals: string[], help: boolean) {
    this.#flags = flags;
    this.positionals = positionals;
    this.help = help;
  }

  boolean(name: string): boolean {
    return this.#flags.get(name) === true;
  }

  string(name: string): string | undefined {
    const value = this.#flags.get(name);
    if (Array.isArray(value)) return value[value.length - 1];
    return typeof value === 'string' ? value : undefined;
  }

  list(name: string): string[] {
    const value = this.#flags.get(name);
    if (Array.isArray(value)) return value;
    return typeof value === 'string' ? [value] : [];
  }

  has(name: string): boolean {
    return this.#flags.has(name);
  }

  /** Every flag given, by name, in the order first seen. */
  entries(): Array<[string, FlagValue]> {
    return [...this.#flags.entries()];
  }
}

const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h' };

/**
 * Parses `argv` with `node:util` parseArgs, then checks what parseArgs in non-strict mode lets
 * through, so every mistake becomes a UsageError that names the flag (and a close match).
 * With `--help` anywhere, validation errors are not raised: help wins.
 */
export function parseCommandArgs(argv: string[], spec: ArgsSpec): ParsedArgs {
  const options: Record<string, { type: 'boolean' | 'string'; multiple?: boolean; short?: string }> = { help: HELP_FLAG };
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) };
  }
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });

  const flags = new Map<string, FlagValue>();
  const positionals: string[] = [];
  const problems: string[] = [];
  let help = false;
  const known = Object.keys(options).map((name) => `--${name}`);

  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    if (token.name === 'help') {
      help = true;
      continue;
    }
    const flag = spec.flags[token.name];
    if (!flag) {
      problems.push(`unknown option "${token.rawName}" for "${spec.command}"${didYouMean(`--${token.name}`, known)}`);
      continue;
    }
    if (flag.type === 'boolean') {
      if (token.value === undefined) flags.set(token.name, true);
      else if (flag.inlineValue) flags.set(token.name, token.value);
      else problems.push(`option "--${token.name}" takes no value (got "${token.value}")`);
      continue;
    }
    // parseArgs (non-strict) happily takes the next flag as the value: `--dir --json`.
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
      problems.push(`option "--${token.name}" needs a value${flag.valueName ? ` (--${token.name} ${flag.valueName})` : ''}`);
      continue;
    }
    if (flag.multiple) {
      const list = flags.get(token.name);
      flags.set(token.name, Array.isArray(list) ? [...list, value] : [value]);
    } else {
      flags.set(token.name, value);
    }
  }

  if (!help) {
    if (problems.length > 0) throw new UsageError(problems.join('\n'));
    if (positionals.length < spec.positionals.min) {
      throw new UsageError(`"${spec.command}" needs ${spec.positionals.names}`);
    }
    if (positionals.length > spec.positionals.max) {
      const extra = positionals.slice(spec.positionals.max).map((p) => `"${p}"`).join(', ');
      throw new UsageError(`unexpected argument${positionals.length - spec.positionals.max > 1 ? 's' : ''} ${extra} for "${spec.command}"`);
    }
  }
  return new ParsedArgs(flags, positionals, help);
}

/** A positive integer flag (`--concurrency 4`), or a UsageError naming the flag and value. */
export function positiveIntegerFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`--${name} must be a positive integer (got "${raw}")`);
  }
  return Number(raw);
}

/**
 * The positionals of `argv`, parsed leniently (unknown flags ignored). For commands whose flags
 * depend on a positional, like the options of `sparc mode NAME`.
 */
export function scanPositionals(argv: string[], flags: Record<string, FlagSpec>): { positionals: string[]; help: boolean } {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: HELP_FLAG };
  for (const [name, flag] of Object.entries(flags)) options[name] = { type: flag.type, ...(flag.short ? { short: flag.short } : {}) };
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option' && token.name === 'help') help = true;
  }
  return { positionals, help };
}
