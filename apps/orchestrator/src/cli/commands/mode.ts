import type { BatchMetrics, ModeDefinition, ModeOptionsSchema, ModeRunResult, RawOptionValue } from '@sparc/batch-core';
import { parseCommandArgs, scanPositionals, type FlagSpec, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../context';
import { describeValidation, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors';
import { workspaceDir } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted, loadCore } from '../lazy';
import { formatMs, printJson, renderTable, StatusLine } from '../output';
import { didYouMean } from '../suggest';
import { modeRegistry } from './modes';

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
    return { mode, command: second, schema: mode.commands[second].options };
  }
  return { mode, schema: mode.options };
}

/** Flags for the schema's options, except names the CLI uses itself. */
function optionFlags(schema: ModeOptionsSchema): Map<string, { flag: string; spec: FlagSpec }> {
  const { describeOptions } = loadCore();
  const flags = new Map<string, { flag: string; spec: FlagSpec }>();
  for (const option of describeOptions(schema)) {
    const flag = option.flag.replace(/^--/, '');
    if (Object.hasOwn(BASE_FLAGS, flag)) continue;
    const spec: FlagSpec =
      option.type === 'boolean' ? { type: 'boolean', inlineValue: true } : { type: 'string', multiple: true, valueName: option.type === 'array' ? 'a,b' : option.type.toUpperCase() };
    flags.set(option.name, { flag, spec });
  }
  return flags;
}

/** `--opt` pairs and option flags as the raw values `parseOptionArgs` coerces, grouped by option name. */
function rawOptions(args: ParsedArgs, flags: Map<string, { flag: string }>): Record<string, RawOptionValue> {
  const { toOptionName } = loadCore();
  const grouped = new Map<string, Array<string | boolean>>();
  const add = (name: string, value: string | boolean) => grouped.set(name, [...(grouped.get(name) ?? []), value]);
  for (const pair of args.list('opt')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--opt expects key=value (got "${pair}")`);
    add(toOptionName(pair.slice(0, eq).trim()), pair.slice(eq + 1));
  }
  for (const [name, { flag }] of flags) {
    if (!args.has(flag)) continue;
    const value = args.boolean(flag) ? true : args.list(flag);
    for (const item of Array.isArray(value) ? value : [value]) add(name, item);
  }
  const raw: Record<string, RawOptionValue> = {};
  for (const [name, values] of grouped) {
    raw[name] = values.length === 1 ? values[0] : values.map(String);
  }
  return raw;
}

function modeHelp(target: Target): string {
  const { formatOptionsHelp } = loadCore();
  const { mode, command } = target;
  const name = command ? `${mode.name} ${command}` : mode.name;
  const summary = command ? mode.commands[command].summary : mode.summary;
  const commands = Object.entries(mode.commands);
  const lines = [`Usage: sparc mode ${name}${!command && commands.length > 0 ? ' [COMMAND]' : ''} [--dir DIR] [--json] [options]`, '', summary, ''];
  if (!command && commands.length > 0) {
    lines.push('Commands:', renderTable(commands.map(([key, c]) => [key, c.summary]), '  '), '');
  }
  lines.push('Options:', ...formatOptionsHelp(target.schema), '');
  lines.push('Common options:', '  --dir DIR        workspace root (default: current directory)', '  --json           print the result as JSON', '  --opt key=value  set an option by name (repeatable)', '');
  return lines.join('\n');
}

const STATUS_SYMBOL = { passed: '✔', warning: '⚠', failed: '✖' } as const;

function printHuman(result: ModeRunResult, runId: string, ctx: CliContext): void {
  const name = result.command ? `${result.mode} ${result.command}` : result.mode;
  ctx.stdout.write(`${STATUS_SYMBOL[result.status]} ${name} ${result.status}: ${result.summary} (${formatMs(result.durationMs)})\n`);
  if (result.findings.length > 0) {
    const rows = result.findings.map((f) => [f.severity, f.rule, f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '', f.message]);
    ctx.stdout.write(`${renderTable(rows, '  ')}\n`);
  }
  if (result.artifacts.length > 0) ctx.stdout.write(`artifacts (run ${runId}):\n${result.artifacts.map((a) => `  ${a}`).join('\n')}\n`);
}

async function runTarget(target: Target, options: unknown, dir: string | undefined, ctx: CliContext): Promise<{ runId: string; result: ModeRunResult }> {
  const core = loadCore();
  const workspace = await core.Workspace.open(workspaceDir(dir, ctx));
  const runId = core.newRunId();
  const monitor = new core.PerformanceMonitor(workspace.root);
  // The mode's batches are recorded as its own, so `sparc perf` can tell them from plain batches.
  const recorder = { record: (metrics: BatchMetrics) => monitor.record(metrics, { kind: 'mode', runId, mode: target.mode.name }) };
  const engine = new core.BatchEngine({ workspace, monitor: recorder });
  const status = new StatusLine(ctx.stderr);
  try {
    const result = await withInterrupt(ctx.stderr, interrupted, (signal) =>
      core.runMode(
        target.mode,
        {
          runId,
          workspace,
          engine,
          pool: () => engine.pool(),
          signal,
          progress: (message) => status.set(`${target.mode.name}: ${message}`),
          artifacts: core.createArtifactWriter(workspace, runId, target.mode.name),
          upstream: {},
        },
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
    const target = findTarget(name, scan.positionals[1], ctx);
    const flags = optionFlags(target.schema);
    const args = parseCommandArgs(argv, {
      command: `sparc mode ${name}`,
      flags: { ...BASE_FLAGS, ...Object.fromEntries([...flags.values()].map(({ flag, spec }) => [flag, spec])) },
      positionals: { min: 1, max: Object.keys(target.mode.commands).length > 0 ? 2 : 1, names: 'a mode NAME' },
    });
    if (args.help) {
      ctx.stdout.write(modeHelp(target));
      return EXIT_OK;
    }
    const second = args.positionals[1];
    if (second !== target.command) {
      const known = Object.keys(target.mode.commands);
      throw new UsageError(`mode "${name}" has no command "${second}" (known: ${known.join(', ')})${didYouMean(String(second), known)}`);
    }
    const core = loadCore();
    let options: unknown;
    try {
      options = core.parseOptionArgs(target.schema, rawOptions(args, flags));
    } catch (error) {
      if (error instanceof core.ModeOptionsError) {
        throw new UsageError(`mode "${target.command ? `${name} ${target.command}` : name}": ${describeValidation(error.message, error.issues)}`);
      }
      throw error;
    }
    const { runId, result } = await runTarget(target, options, args.string('dir'), ctx);
    if (args.boolean('json')) printJson(ctx.stdout, { runId, ...result });
    else printHuman(result, runId, ctx);
    const usage = result.findings.some((f) => f.rule === core.MODE_RULES.options || f.rule === core.MODE_RULES.unknownCommand);
    if (usage) return EXIT_USAGE;
    return result.status === 'failed' ? EXIT_FAILED : EXIT_OK;
  },
};
