import type { BatchMetrics, ModeDefinition, ModeOptionsSchema, ModeRunResult, RawOptionValue, SparcSpec } from '@sparc/batch-core';
import { parseCommandArgs, scanPositionals, type FlagSpec, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../context';
import { describeValidation, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors';
import { workspaceDir } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted, loadCore } from '../lazy';
import { formatMs, printJson, renderTable, StatusLine } from '../output';
import { didYouMean } from '../suggest';
import { modeRegistry, scanDirFlag, withWorkspaceModes } from './modes';

/** The CLI's own flags; a mode option with one of these names is given with `--opt name=value`. */
const BASE_FLAGS: Record<string, FlagSpec> = {
  dir: { type: 'string', valueName: 'DIR' },
  json: { type: 'boolean' },
  opt: { type: 'string', multiple: true, valueName: 'key=value' },
};

const HELP = `Usage: sparc mode NAME [COMMAND] [options] [mode options]

Runs one mode (see "sparc modes") in a workspace. Its report files go under
.sparc/reports/<run-id>/<mode>/.

Options:
  --dir DIR            workspace root (default: current directory)
  --json               print the mode's result as one JSON document on stdout
  --opt key=value      set a mode option (repeatable); same as the option's own flag
  -h, --help           show this help; "sparc mode NAME --help" lists the mode's options

Mode options are flags derived from the mode's schema: maxDepth → --max-depth, lists as comma lists.
Exit codes: 0 passed or warning, 1 failed, 2 unknown mode or invalid options.
`;

interface Target {
  mode: ModeDefinition;
  command?: string;
  schema: ModeOptionsSchema;
  /** The option that takes the positional words after NAME [COMMAND], if any. */
  positionals?: string;
}

function findTarget(name: string, second: string | undefined, ctx: CliContext): Target {
  const registry = modeRegistry(ctx);
  if (!registry.has(name)) {
    const known = registry.names();
    const list = known.length > 0 ? `known: ${known.join(', ')}` : 'no modes registered';
    throw new UsageError(`unknown mode "${name}" (${list})${didYouMean(name, known)}`);
  }
  const mode = registry.get(name);
  if (second !== undefined && Object.hasOwn(mode.commands, second)) {
    const command = mode.commands[second];
    return { mode, command: second, schema: command.options, ...(command.positionals ? { positionals: command.positionals } : {}) };
  }
  return { mode, schema: mode.options, ...(mode.positionals ? { positionals: mode.positionals } : {}) };
}

interface OptionFlag {
  flag: string;
  spec: FlagSpec;
  /** `--no-<flag>`, for boolean options: sets the option to false (`--no-cache`). */
  negated?: string;
  array: boolean;
}

/** Flags for the schema's options, except names the CLI uses itself. */
function optionFlags(schema: ModeOptionsSchema): Map<string, OptionFlag> {
  const { describeOptions } = loadCore();
  const flags = new Map<string, OptionFlag>();
  for (const option of describeOptions(schema)) {
    const flag = option.flag.replace(/^--/, '');
    if (Object.hasOwn(BASE_FLAGS, flag)) continue;
    if (option.type === 'boolean') {
      flags.set(option.name, { flag, spec: { type: 'boolean', inlineValue: true }, negated: `no-${flag}`, array: false });
    } else {
      flags.set(option.name, { flag, spec: { type: 'string', multiple: true, valueName: option.type === 'array' ? 'a,b' : option.type.toUpperCase() }, array: option.type === 'array' });
    }
  }
  return flags;
}

function flagSpecs(flags: Map<string, OptionFlag>): Record<string, FlagSpec> {
  const specs: Record<string, FlagSpec> = {};
  for (const { flag, spec, negated } of flags.values()) {
    specs[flag] = spec;
    if (negated && !flags.has(negated)) specs[negated] = { type: 'boolean' };
  }
  return specs;
}

/** `--opt` pairs and option flags as the raw values `parseOptionArgs` coerces, grouped by option name. */
function rawOptions(args: ParsedArgs, flags: Map<string, OptionFlag>, positional?: { name: string; values: string[] }): Record<string, RawOptionValue> {
  const { toOptionName } = loadCore();
  const grouped = new Map<string, Array<string | boolean>>();
  const add = (name: string, value: string | boolean) => grouped.set(name, [...(grouped.get(name) ?? []), value]);
  for (const pair of args.list('opt')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--opt expects key=value (got "${pair}")`);
    add(toOptionName(pair.slice(0, eq).trim()), pair.slice(eq + 1));
  }
  for (const [name, { flag, negated }] of flags) {
    if (negated && args.has(negated)) add(name, false);
    if (!args.has(flag)) continue;
    const value = args.boolean(flag) ? true : args.list(flag);
    for (const item of Array.isArray(value) ? value : [value]) add(name, item);
  }
  if (positional && positional.values.length > 0) {
    if (grouped.has(positional.name)) throw new UsageError(`"${positional.name}" is given both as an argument and as an option`);
    for (const value of positional.values) add(positional.name, value);
  }
  const raw: Record<string, RawOptionValue> = {};
  for (const [name, values] of grouped) {
    raw[name] = values.length === 1 ? values[0] : values.map(String);
  }
  return raw;
}

function modeHelp(target: Target, invokedAs: string): string {
  const { formatOptionsHelp } = loadCore();
  const { mode, command } = target;
  const name = command ? `${invokedAs} ${command}` : invokedAs;
  const summary = command ? mode.commands[command].summary : mode.summary;
  const commands = Object.entries(mode.commands);
  const many = target.positionals !== undefined && optionFlags(target.schema).get(target.positionals)?.array === true;
  const positional = target.positionals ? ` [${target.positionals.toUpperCase()}${many ? '...' : ''}]` : '';
  const lines = [`Usage: sparc ${name}${!command && commands.length > 0 ? ' [COMMAND]' : ''}${positional} [--dir DIR] [--json] [options]`, '', summary, ''];
  if (!command && commands.length > 0) {
    lines.push('Commands:', renderTable(commands.map(([key, c]) => [key, c.summary]), '  '), '');
    lines.push(`Run "sparc ${invokedAs} COMMAND --help" for a command's options.`, '');
  }
  lines.push('Options:', ...formatOptionsHelp(target.schema), '');
  lines.push('Common options:', '  --dir DIR        workspace root (default: current directory)', '  --json           print the result as JSON', '  --opt key=value  set an option by name (repeatable)', '');
  return lines.join('\n');
}

const STATUS_SYMBOL = { passed: '✔', warning: '⚠', failed: '✖' } as const;

function printHuman(result: ModeRunResult, runId: string, ctx: CliContext): void {
  const name = result.command ? `${result.mode} ${result.command}` : result.mode;
  // A mode that previews changes (a dry run) hands back its unified diff as `data.diff`.
  const diff = (result.data as { diff?: unknown } | undefined)?.diff;
  if (typeof diff === 'string' && diff.length > 0) ctx.stdout.write(diff.endsWith('\n') ? diff : `${diff}\n`);
  ctx.stdout.write(`${STATUS_SYMBOL[result.status]} ${name} ${result.status}: ${result.summary} (${formatMs(result.durationMs)})\n`);
  if (result.findings.length > 0) {
    const rows = result.findings.map((f) => [f.severity, f.rule, f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '', f.message]);
    ctx.stdout.write(`${renderTable(rows, '  ')}\n`);
  }
  if (result.artifacts.length > 0) ctx.stdout.write(`artifacts (run ${runId}):\n${result.artifacts.map((a) => `  ${a}`).join('\n')}\n`);
}

/**
 * The workspace's own spec (`sparc.spec.json|yaml` at its root), so a mode run alone sees the same
 * spec as in a pipeline. A spec that does not validate is reported and left out: the mode may not
 * need it, and a mode that does says so itself.
 */
async function workspaceSpec(root: string, ctx: CliContext): Promise<SparcSpec | undefined> {
  const core = loadCore();
  const file = await core.findSpecFile(root);
  if (!file) return undefined;
  try {
    return await core.loadSpec(file);
  } catch (error) {
    ctx.stderr.write(`sparc: warning: ${error instanceof Error ? error.message : String(error)} (the mode runs without a spec)\n`);
    return undefined;
  }
}

async function runTarget(target: Target, options: unknown, dir: string | undefined, ctx: CliContext): Promise<{ runId: string; result: ModeRunResult }> {
  const core = loadCore();
  const workspace = await core.Workspace.open(workspaceDir(dir, ctx));
  const runId = core.newRunId();
  const monitor = new core.PerformanceMonitor(workspace.root);
  // The mode's batches are recorded as its own, so `sparc perf` can tell them from plain batches.
  const recorder = { record: (metrics: BatchMetrics) => monitor.record(metrics, { kind: 'mode', runId, mode: target.mode.name }) };
  const engine = new core.BatchEngine({ workspace, monitor: recorder });
  const spec = await workspaceSpec(workspace.root, ctx);
  const status = new StatusLine(ctx.stderr);
  try {
    const result = await withInterrupt(ctx.stderr, interrupted, (signal) =>
      core.runMode(
        target.mode,
        core.createModeContext({ workspace, mode: target.mode.name, engine, runId, signal, progress: (message) => status.set(`${target.mode.name}: ${message}`), ...(spec ? { spec } : {}) }).ctx,
        options,
        target.command !== undefined ? { command: target.command } : {},
      ),
    );
    return { runId, result };
  } finally {
    status.clear();
    await engine.close();
  }
}

/** How the mode was invoked: `sparc mode NAME ...` or a shortcut like `sparc architect ...`. */
export interface ModeInvocation {
  /** For usage and help text: `mode architect` or `architect`. */
  invokedAs: string;
  /**
   * Shortcuts print the mode's `data` at the top level of `--json` output (the contracts of
   * `sparc architect --json` and friends), with the run's own fields where `data` has no such key.
   */
  dataAtTopLevel: boolean;
}

function jsonDocument(runId: string, result: ModeRunResult, dataAtTopLevel: boolean): unknown {
  if (!dataAtTopLevel || typeof result.data !== 'object' || result.data === null || Array.isArray(result.data)) return { runId, ...result };
  const { data, ...meta } = result;
  return { runId, ...meta, ...(data as Record<string, unknown>) };
}

/** Positional words after NAME [COMMAND]: how many the target takes. */
function positionalCapacity(target: Target, flags: Map<string, OptionFlag>): number {
  if (!target.positionals) return 0;
  return flags.get(target.positionals)?.array ? Number.POSITIVE_INFINITY : 1;
}

/** Parses `argv` (NAME first) for the mode NAME and runs it; shared by `sparc mode` and the shortcuts. */
export async function runModeCli(argv: string[], ctx: CliContext, invocation: ModeInvocation): Promise<number> {
  ctx = await withWorkspaceModes(ctx, scanDirFlag(argv));
  const scan = scanPositionals(argv, BASE_FLAGS);
  const name = scan.positionals[0];
  const target = findTarget(name, scan.positionals[1], ctx);
  const flags = optionFlags(target.schema);
  const lead = target.command !== undefined ? 2 : 1;
  const capacity = positionalCapacity(target, flags);
  const commandNames = Object.keys(target.mode.commands);
  const args = parseCommandArgs(argv, {
    command: `sparc ${invocation.invokedAs}${target.command ? ` ${target.command}` : ''}`,
    flags: { ...BASE_FLAGS, ...flagSpecs(flags) },
    positionals: { min: 1, max: capacity === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : lead + capacity + (target.command === undefined && capacity === 0 && commandNames.length > 0 ? 1 : 0), names: 'a mode NAME' },
  });
  if (args.help) {
    ctx.stdout.write(modeHelp(target, invocation.invokedAs));
    return EXIT_OK;
  }
  if (target.command === undefined && capacity === 0 && args.positionals.length > 1) {
    const second = args.positionals[1];
    const list = commandNames.length > 0 ? ` (known: ${commandNames.join(', ')})` : '';
    throw new UsageError(`mode "${name}" has no command "${second}"${list}${didYouMean(String(second), commandNames)}`);
  }
  const core = loadCore();
  const modeName = target.command ? `${name} ${target.command}` : name;
  let options: unknown;
  try {
    const words = args.positionals.slice(lead);
    options = core.parseOptionArgs(target.schema, rawOptions(args, flags, target.positionals ? { name: target.positionals, values: words } : undefined));
  } catch (error) {
    if (error instanceof core.ModeOptionsError) {
      throw new UsageError(`mode "${modeName}": ${describeValidation(error.message, error.issues)}`);
    }
    throw error;
  }
  const { runId, result } = await runTarget(target, options, args.string('dir'), ctx);
  if (args.boolean('json')) printJson(ctx.stdout, jsonDocument(runId, result, invocation.dataAtTopLevel));
  else printHuman(result, runId, ctx);
  const usage = result.findings.some((f) => core.isInputFinding(f));
  if (usage) return EXIT_USAGE;
  return result.status === 'failed' ? EXIT_FAILED : EXIT_OK;
}

export const modeCommand: Command = {
  name: 'mode',
  synopsis: 'mode NAME',
  summary: 'run one mode with options from flags',
  help: HELP,
  async run(argv, ctx) {
    const scan = scanPositionals(argv, BASE_FLAGS);
    const name = scan.positionals[0];
    if (name === undefined) {
      if (scan.help) {
        ctx.stdout.write(HELP);
        return EXIT_OK;
      }
      throw new UsageError('"sparc mode" needs a mode NAME (see "sparc modes")');
    }
    return runModeCli(argv, ctx, { invokedAs: `mode ${name}`, dataAtTopLevel: false });
  },
};
