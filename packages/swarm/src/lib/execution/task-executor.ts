import {
  BatchEngine,
  PerformanceMonitor,
  SparcError,
  createArtifactWriter,
  runMode as runModeDefinition,
  toErrorInfo,
  type ModeRegistry,
  type ModeResult,
  type OperationRegistry,
  type Workspace,
} from '@sparc/batch-core';
import type { TaskDef, Upstream } from '../model/types';
import { batchError, batchOutput, compactOutput, modeOutput, type AttemptOutcome } from './outcome';

export interface ModeRunContext {
  signal: AbortSignal;
  command?: string;
  /** Results of the mode tasks this task depends on, by mode name. */
  upstream: Upstream;
  /** The swarm run, and the task: together they name the mode's report folder. */
  runId: string;
  taskId: string;
}

/** Runs a mode by name. The orchestrator passes its own; swarm never imports a mode package. */
export type ModeRunner = (name: string, options: Record<string, unknown>, context: ModeRunContext) => Promise<ModeResult>;

export interface TaskExecutorOptions {
  workspace: Workspace;
  /** Shared engine for batch and operation tasks. @default one created on the workspace, closed by close() */
  engine?: BatchEngine;
  /** Operation types for the engine created here. @default every built-in type */
  registry?: OperationRegistry;
  /** Modes by name, run with batch-core's `runMode` (report files under `.sparc/reports/<run>/<task>/`). */
  modes?: ModeRegistry;
  /** Or a function that runs a mode by name. */
  runMode?: ModeRunner;
  runId: string;
  /** Record batch tasks in `.sparc/metrics.jsonl` (kind "swarm"). One-operation tasks are never recorded. @default true */
  record?: boolean;
}

export interface RunTaskOptions {
  signal: AbortSignal;
  upstream?: Upstream;
  /** Overrides the run id the task belongs to (a bullmq worker serves many runs). */
  runId?: string;
}

/** Runs a task's real work: a batch on the engine, one operation as a one-operation batch, or a mode. */
export class TaskExecutor {
  readonly workspace: Workspace;
  readonly engine: BatchEngine;
  readonly #ownsEngine: boolean;
  readonly #modes?: ModeRegistry;
  readonly #runMode?: ModeRunner;
  readonly #runId: string;
  readonly #monitor?: PerformanceMonitor;

  constructor(options: TaskExecutorOptions) {
    this.workspace = options.workspace;
    this.#ownsEngine = !options.engine;
    // Batch tasks are recorded here, with the run they belong to (a bullmq worker serves many runs).
    this.#monitor = options.record === false ? undefined : new PerformanceMonitor(options.workspace.root);
    this.engine = options.engine ?? new BatchEngine({ workspace: options.workspace, ...(options.registry ? { registry: options.registry } : {}), monitor: false });
    this.#modes = options.modes;
    this.#runMode = options.runMode;
    this.#runId = options.runId;
  }

  /** Checks a task's payload before anything runs: the batch or operation against the engine, the mode against the registry. */
  validate(task: TaskDef): void {
    if (task.kind === 'batch') this.engine.validate(task.batch);
    else if (task.kind === 'operation') this.engine.validate(oneOperationBatch(task));
    else if (this.#modes && task.mode && !this.#modes.has(task.mode.name)) {
      throw new SparcError('UNKNOWN_MODE', `unknown mode "${task.mode.name}" (known: ${this.#modes.names().join(', ') || 'none registered'})`);
    }
  }

  async run(task: TaskDef, options: RunTaskOptions): Promise<AttemptOutcome> {
    const startedAt = Date.now();
    const started = performance.now();
    const timeout = task.timeoutMs !== undefined ? AbortSignal.timeout(task.timeoutMs) : undefined;
    const signal = timeout ? AbortSignal.any([options.signal, timeout]) : options.signal;
    const finish = (outcome: Omit<AttemptOutcome, 'startedAt' | 'durationMs'>): AttemptOutcome => {
      let { ok, error } = outcome;
      if (timeout?.aborted && !options.signal.aborted) {
        ok = false;
        error = { code: 'TIMEOUT', message: `task "${task.id}" timed out after ${task.timeoutMs} ms` };
      }
      return { ...outcome, ok, ...(error ? { error } : {}), startedAt, durationMs: performance.now() - started };
    };
    try {
      if (signal.aborted) return finish({ ok: false, error: toErrorInfo(signal.reason) });
      switch (task.kind) {
        case 'batch': {
          const result = await this.engine.run(task.batch, { signal, label: task.id, record: false });
          await this.#monitor?.record(result.metrics, { kind: 'swarm', runId: options.runId ?? this.#runId }).catch(() => undefined);
          const error = batchError(result);
          return finish({ ok: !error, output: batchOutput(result), ...(error ? { error } : {}) });
        }
        case 'operation': {
          const result = await this.engine.run(oneOperationBatch(task), { signal, record: false });
          const op = result.results[0];
          const ok = result.status === 'succeeded';
          return finish({ ok, output: compactOutput(op?.output), ...(ok ? {} : { error: op?.error ?? { code: 'OPERATION_FAILED', message: `operation ${op?.status ?? 'did not run'}` } }) });
        }
        case 'mode': {
          const result = await this.#mode(task, signal, options);
          const ok = result.status !== 'failed';
          return finish({ ok, output: modeOutput(result), ...(ok ? {} : { error: { code: 'MODE_FAILED', message: result.summary } }) });
        }
      }
    } catch (error) {
      return finish({ ok: false, error: toErrorInfo(error) });
    }
  }

  async #mode(task: TaskDef, signal: AbortSignal, options: RunTaskOptions): Promise<ModeResult> {
    const mode = task.mode as NonNullable<TaskDef['mode']>;
    const upstream = options.upstream ?? {};
    const runId = options.runId ?? this.#runId;
    const modeOptions = mode.options ?? {};
    if (this.#runMode) {
      return this.#runMode(mode.name, modeOptions, { signal, upstream, runId, taskId: task.id, ...(mode.command ? { command: mode.command } : {}) });
    }
    if (!this.#modes) throw new SparcError('NO_MODE_RUNNER', `task "${task.id}" runs mode "${mode.name}", but this agent was started without modes`);
    const definition = this.#modes.get(mode.name);
    const engine = this.engine;
    const monitor = this.#monitor;
    // The mode's batches are recorded as the swarm run's, naming the mode.
    const modeEngine = {
      run: async (batch: unknown, opts: { signal?: AbortSignal } = {}) => {
        const result = await engine.run(batch, { ...opts, record: false });
        await monitor?.record(result.metrics, { kind: 'swarm', runId, mode: mode.name }).catch(() => undefined);
        return result;
      },
    };
    return runModeDefinition(
      definition,
      {
        runId,
        workspace: this.workspace,
        engine: modeEngine,
        pool: () => engine.pool(),
        signal,
        progress: () => undefined,
        artifacts: createArtifactWriter(this.workspace, runId, task.id),
        upstream,
      },
      modeOptions,
      mode.command ? { command: mode.command } : {},
    );
  }

  async close(): Promise<void> {
    if (this.#ownsEngine) await this.engine.close();
  }
}

/** An operation task as a batch of one; the operation's id defaults to the task's. */
export function oneOperationBatch(task: TaskDef): { operations: unknown[]; label: string } {
  return { operations: [{ id: task.id, ...task.operation }], label: task.id };
}
