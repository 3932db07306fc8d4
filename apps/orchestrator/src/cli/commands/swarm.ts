import * as path from 'node:path';
import type * as Swarm from '@sparc/swarm';
import type { SwarmEvent, SwarmPlan, SwarmReport } from '@sparc/swarm';
import { parseCommandArgs, positiveIntegerFlag, type ArgsSpec, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../context';
import { describeValidation, EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError, UsageError } from '../errors';
import { workspaceDir } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted, loadCore } from '../lazy';
import { formatMs, printJson, renderTable, StatusLine } from '../output';
import { didYouMean } from '../suggest';
import { modeRegistry, withWorkspaceModes } from './modes';
import { HELP, RUN_HELP, STATUS_HELP, WORKER_HELP } from './swarm-help';

/** Loaded on first use, like the engine: `sparc --help` never pays for BullMQ and ioredis. */
function loadSwarm(): typeof Swarm {
  loadCore();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see lazy.ts
  return require('@sparc/swarm') as typeof Swarm;
}

const SUBCOMMANDS = ['run', 'worker', 'status'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const COMMON_REDIS_FLAGS = {
  redis: { type: 'string', valueName: 'URL' },
  prefix: { type: 'string', valueName: 'P' },
} as const;

const ARGS: Record<Subcommand, ArgsSpec> = {
  run: {
    command: 'sparc swarm run',
    flags: {
      plan: { type: 'string', valueName: 'FILE' },
      dir: { type: 'string', valueName: 'DIR' },
      backend: { type: 'string', valueName: 'local|bullmq' },
      topology: { type: 'string', valueName: 'T' },
      'run-id': { type: 'string', valueName: 'ID' },
      resume: { type: 'string', valueName: 'RUN' },
      json: { type: 'boolean' },
      ...COMMON_REDIS_FLAGS,
    },
    positionals: { min: 0, max: 0, names: 'no arguments' },
  },
  worker: {
    command: 'sparc swarm worker',
    flags: {
      dir: { type: 'string', valueName: 'DIR' },
      agents: { type: 'string', valueName: 'N' },
      types: { type: 'string', valueName: 'a,b' },
      capabilities: { type: 'string', valueName: 'a,b' },
      concurrency: { type: 'string', valueName: 'N' },
      'lock-duration': { type: 'string', valueName: 'MS' },
      'stalled-interval': { type: 'string', valueName: 'MS' },
      heartbeat: { type: 'string', valueName: 'MS' },
      json: { type: 'boolean' },
      ...COMMON_REDIS_FLAGS,
    },
    positionals: { min: 0, max: 0, names: 'no arguments' },
  },
  status: {
    command: 'sparc swarm status',
    flags: { dir: { type: 'string', valueName: 'DIR' }, json: { type: 'boolean' }, ...COMMON_REDIS_FLAGS },
    positionals: { min: 0, max: 1, names: 'a RUN id' },
  },
};

const SUB_HELP: Record<Subcommand, string> = { run: RUN_HELP, worker: WORKER_HELP, status: STATUS_HELP };

function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.string(name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs at least one name (got "${raw}")`);
  return items;
}

function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const value = args.string(name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got "${value}")${didYouMean(value, choices)}`);
  return value as T;
}

async function readPlan(file: string, ctx: CliContext): Promise<SwarmPlan> {
  try {
    return await loadSwarm().loadPlan(path.resolve(ctx.cwd, file));
  } catch (error) {
    throw planInputError(file, error);
  }
}

/** A PlanError as an InputError (exit 2) naming the plan file; anything else unchanged. */
function planInputError(file: string, error: unknown): unknown {
  const swarm = loadSwarm();
  if (!(error instanceof swarm.PlanError)) return error;
  if (error.code === 'PLAN_UNREADABLE' || error.code === 'PLAN_NOT_JSON') return new InputError(error.message);
  return new InputError(`invalid plan in ${file}: ${describeValidation(error.message.replace(/^invalid plan:\s*/, ''), error.issues.length <= 20 ? error.issues : [])}`);
}

function errorNote(error: { code: string; message: string }): string {
  const text = error.message.startsWith(error.code) ? error.message : `${error.code}: ${error.message}`;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

const TASK_SYMBOL: Record<string, string> = { succeeded: '✔', failed: '✖', skipped: '○', cancelled: '⊘', pending: '·', running: '…' };

/** `[done/total] running: a, b` on a terminal's stderr (redrawn at most every 50 ms); nothing elsewhere. */
function swarmProgress(stream: CliContext['stderr'], total: number): { handle(event: SwarmEvent): void; clear(): void } {
  const line = new StatusLine(stream);
  const running = new Set<string>();
  let done = 0;
  let last = 0;
  return {
    handle(event) {
      if (!line.enabled || (event.type !== 'task:start' && event.type !== 'task:end')) return;
      if (event.type === 'task:start') {
        running.add(event.id);
      } else {
        running.delete(event.result.id);
        done++;
      }
      if (Date.now() - last < 50 && done < total) return;
      last = Date.now();
      const ids = [...running];
      line.set(`[${done}/${total}] running: ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? `, +${ids.length - 6} more` : ''}`);
    },
    clear: () => line.clear(),
  };
}

function printReport(report: SwarmReport, ctx: CliContext, where: string): void {
  const notOk = report.tasks.filter((t) => t.status !== 'succeeded');
  const shown = report.tasks.length <= 50 ? report.tasks : notOk;
  if (shown.length > 0) {
    const rows = shown.map((t) => [
      TASK_SYMBOL[t.status] ?? '?',
      t.id,
      t.status,
      t.agent ?? '-',
      t.attempts > 1 ? `${t.attempts} attempts` : t.attempts === 1 ? '1 attempt' : '-',
      t.attempts > 0 ? formatMs(t.durationMs) : '-',
      t.error ? errorNote(t.error) : '',
    ]);
    ctx.stdout.write(`${renderTable(rows)}\n`);
  }
  if (report.agents.length > 0) {
    const rows = report.agents.map((a) => [a.id, a.type, a.status, `${a.tasksDone} done`, `${a.tasksFailed} failed`, `busy ${formatMs(a.busyMs)}`]);
    ctx.stdout.write(`agents:\n${renderTable(rows, '  ')}\n`);
  }
  const m = report.metrics;
  const counts = (['succeeded', 'failed', 'skipped', 'cancelled', 'pending'] as const)
    .filter((status) => m[status] > 0 || status === 'succeeded')
    .map((status) => `${m[status]} ${status}`)
    .join(', ');
  const retries = m.retries > 0 ? ` · ${m.retries} retr${m.retries === 1 ? 'y' : 'ies'}` : '';
  ctx.stdout.write(
    `swarm run ${report.runId} ${report.status}: ${m.tasks} task${m.tasks === 1 ? '' : 's'} (${counts})${retries} · ${m.topology} on ${m.backend} · ${m.agents} agent${m.agents === 1 ? '' : 's'} · ${formatMs(m.wallMs)} · ${m.tasksPerSecond} tasks/s · utilization ${Math.round(m.utilization * 100)}%\n`,
  );
  ctx.stdout.write(`${where}\n`);
}

async function runSubcommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const backend = choiceFlag(args, 'backend', ['local', 'bullmq'] as const) ?? (args.has('resume') ? 'bullmq' : 'local');
  const topology = choiceFlag(args, 'topology', ['mesh', 'hierarchical', 'star', 'ring'] as const);
  const planFile = args.string('plan');
  const resume = args.string('resume');
  const redis = args.string('redis');
  if (resume !== undefined) {
    if (backend !== 'bullmq') throw new UsageError('--resume picks up bullmq runs (a local run lives and ends with its process)');
    if (planFile !== undefined || topology !== undefined || args.has('run-id')) throw new UsageError('--resume takes the plan, topology and run id from Redis: leave out --plan, --topology and --run-id');
  } else if (planFile === undefined) {
    throw new UsageError('"sparc swarm run" needs --plan FILE (or --resume RUN)');
  }
  if (backend === 'bullmq' && redis === undefined) throw new UsageError('--backend bullmq needs --redis URL (e.g. redis://127.0.0.1:6379)');
  if (backend === 'local' && (redis !== undefined || args.has('prefix'))) throw new UsageError('--redis and --prefix only apply to --backend bullmq');

  const swarm = loadSwarm();
  const plan = planFile !== undefined ? await readPlan(planFile, ctx) : undefined;
  const dir = workspaceDir(args.string('dir'), ctx);
  const needsModes = plan === undefined || plan.tasks.some((t) => t.kind === 'mode');
  const modes = needsModes ? modeRegistry(await withWorkspaceModes(ctx, args.string('dir'))) : undefined;
  const progress = swarmProgress(ctx.stderr, plan?.tasks.length ?? 0);
  const waitingFor = new Set<string>();
  const onEvent = (event: SwarmEvent) => {
    if (event.type === 'notice') {
      // One line per capability nobody serves yet: otherwise a bullmq run without workers looks hung.
      const capability = /capability "([^"]+)"/.exec(event.message)?.[1] ?? event.message;
      if (waitingFor.has(capability)) return;
      waitingFor.add(capability);
      progress.clear();
      ctx.stderr.write(`waiting for an agent with capability "${capability}" (start one: sparc swarm worker --redis ${redis ?? 'URL'} --types ${capability})\n`);
      return;
    }
    progress.handle(event);
  };
  let report: SwarmReport;
  try {
    report = await withInterrupt(ctx.stderr, interrupted, (signal) =>
      swarm.runSwarm(plan, {
        backend,
        dir,
        signal,
        onEvent,
        ...(modes ? { modes } : {}),
        ...(redis !== undefined ? { redis } : {}),
        ...(args.string('prefix') !== undefined ? { prefix: args.string('prefix') } : {}),
        ...(topology ? { topology } : {}),
        ...(args.string('run-id') !== undefined ? { runId: args.string('run-id') } : {}),
        ...(resume !== undefined ? { resume } : {}),
      }),
    );
  } catch (error) {
    throw planInputError(planFile ?? 'the stored plan', error);
  } finally {
    progress.clear();
  }
  if (args.boolean('json')) printJson(ctx.stdout, report);
  else printReport(report, ctx, backend === 'local' ? `state: ${path.join(shownDir(dir, ctx), swarm.SWARM_DIR, report.runId)}/ (sparc swarm status ${report.runId})` : `state: Redis (sparc swarm status ${report.runId} --redis ${swarm.displayUrl(redis as string)})`);
  return report.status === 'succeeded' ? EXIT_OK : EXIT_FAILED;
}

/** A folder relative to the working folder when it is inside it, else in full. */
function shownDir(dir: string, ctx: CliContext): string {
  const relative = path.relative(ctx.cwd, dir);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

async function workerSubcommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const redis = args.string('redis');
  if (redis === undefined) throw new UsageError('"sparc swarm worker" needs --redis URL (e.g. redis://127.0.0.1:6379)');
  const swarm = loadSwarm();
  const json = args.boolean('json');
  const settings = {
    redis,
    ...(args.has('agents') ? { agents: positiveIntegerFlag('agents', args.string('agents')) } : {}),
    ...(args.has('types') ? { types: listFlag(args, 'types') } : {}),
    ...(args.has('capabilities') ? { capabilities: listFlag(args, 'capabilities') } : {}),
    ...(args.has('concurrency') ? { concurrency: positiveIntegerFlag('concurrency', args.string('concurrency')) } : {}),
    ...(args.has('prefix') ? { prefix: args.string('prefix') } : {}),
    ...(args.has('lock-duration') ? { lockDurationMs: positiveIntegerFlag('lock-duration', args.string('lock-duration')) } : {}),
    ...(args.has('stalled-interval') ? { stalledIntervalMs: positiveIntegerFlag('stalled-interval', args.string('stalled-interval')) } : {}),
    ...(args.has('heartbeat') ? { heartbeatMs: positiveIntegerFlag('heartbeat', args.string('heartbeat')) } : {}),
  };
  const modes = modeRegistry(await withWorkspaceModes(ctx, args.string('dir')));
  const worker = await swarm.SwarmWorker.start({
    ...settings,
    dir: workspaceDir(args.string('dir'), ctx),
    modes,
    ...(json
      ? {}
      : {
          onTask: ({ runId, result, final }) => {
            const symbol = final ? (TASK_SYMBOL[result.status] ?? '?') : '↻';
            const note = result.error ? ` ${errorNote(result.error)}` : '';
            ctx.stdout.write(`${symbol} ${runId} ${result.id} ${final ? result.status : 'will retry'} on ${result.agent} in ${formatMs(result.durationMs)}${note}\n`);
          },
        }),
  });
  if (!json) {
    ctx.stdout.write(`worker ${worker.id} ready: ${worker.agents.length} agent${worker.agents.length === 1 ? '' : 's'} (${worker.agents.map((a) => a.id).join(', ')}) on ${swarm.displayUrl(redis)}; Ctrl-C stops\n`);
  }
  await withInterrupt(ctx.stderr, interrupted, async (signal) => {
    const stop = () => void worker.stop();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await worker.closed;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  });
  if (json) printJson(ctx.stdout, { worker: worker.id, agents: worker.report() });
  else ctx.stdout.write(`worker ${worker.id} stopped\n`);
  return EXIT_OK;
}

async function statusSubcommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const swarm = loadSwarm();
  const redis = args.string('redis');
  if (redis === undefined && args.has('prefix')) throw new UsageError('--prefix only applies with --redis');
  const options = { dir: workspaceDir(args.string('dir'), ctx), ...(redis !== undefined ? { redis } : {}), ...(args.has('prefix') ? { prefix: args.string('prefix') } : {}) };
  const runId = args.positionals[0];
  if (runId === undefined) {
    const runs = await swarm.listRuns(options);
    if (args.boolean('json')) printJson(ctx.stdout, runs);
    else if (runs.length === 0) ctx.stdout.write(`no swarm runs ${redis ? `on ${swarm.displayUrl(redis)}` : `in ${path.join(options.dir, swarm.SWARM_DIR)}`}\n`);
    else ctx.stdout.write(`${renderTable(runs.map((r) => [r.runId, r.status, r.topology, r.backend, `${r.tasks} tasks`, r.startedAt]))}\n`);
    return EXIT_OK;
  }
  let report: SwarmReport;
  try {
    report = await swarm.swarmStatus(runId, options);
  } catch (error) {
    if (error instanceof swarm.RunNotFoundError) throw new InputError(error.message);
    throw error;
  }
  if (args.boolean('json')) printJson(ctx.stdout, report);
  else printReport(report, ctx, `backend ${report.metrics.backend}`);
  return EXIT_OK;
}

export const swarmCommand: Command = {
  name: 'swarm',
  synopsis: 'swarm run|worker|status',
  summary: 'agents working through a plan, in-process or across machines on Redis',
  help: HELP,
  async run(argv, ctx) {
    const [first, ...rest] = argv;
    if (first === undefined) {
      ctx.stderr.write(HELP);
      return EXIT_USAGE;
    }
    if (first === '--help' || first === '-h') {
      ctx.stdout.write(HELP);
      return EXIT_OK;
    }
    if (!(SUBCOMMANDS as readonly string[]).includes(first)) {
      throw new UsageError(`unknown swarm subcommand "${first}" (known: ${SUBCOMMANDS.join(', ')})${didYouMean(first, SUBCOMMANDS)}`);
    }
    const sub = first as Subcommand;
    const args = parseCommandArgs(rest, ARGS[sub]);
    if (args.help) {
      ctx.stdout.write(SUB_HELP[sub]);
      return EXIT_OK;
    }
    if (sub === 'run') return runSubcommand(args, ctx);
    if (sub === 'worker') return workerSubcommand(args, ctx);
    return statusSubcommand(args, ctx);
  },
};
