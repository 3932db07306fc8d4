import {
  BatchEngine,
  createArtifactWriter,
  MODE_RULES,
  runMode,
  toErrorInfo,
  type BatchResult,
  type Finding,
  type ModeContext,
  type ModeEngine,
  type ModeResult,
  type ModeRunResult,
  type ModeStatus,
  type OperationRegistry,
  type PerformanceMonitor,
  type RunOptions,
  type SparcSpec,
  type Workspace,
} from '@sparc/batch-core';
import type { PlannedMode, PlannedStage, PlannedStep } from './plan';
import type { ModeOutcome, StageOutcome, StageStatus } from './types';

export interface StageContext {
  workspace: Workspace;
  runId: string;
  spec?: SparcSpec;
  /** Results of the modes of earlier stages, by mode name. */
  upstream: Readonly<Record<string, ModeResult>>;
  signal: AbortSignal;
  progress(message: string): void;
  monitor?: PerformanceMonitor;
  /** Milliseconds since the pipeline started. */
  clock(): number;
  /** The run's `--concurrency`: modes of a stage at once. */
  concurrency?: number;
  /** Operation handlers for the stage's engine (default: the built-in ones). */
  operations?: OperationRegistry;
}

const RANK: Record<StageStatus, number> = { skipped: 0, passed: 1, warning: 2, failed: 3 };

export function worstStatus(statuses: StageStatus[]): StageStatus {
  return statuses.reduce<StageStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), statuses.length > 0 ? 'skipped' : 'passed');
}

function label(name: string, command: string | undefined): string {
  return command ? `${name} ${command}` : name;
}

/** A failed result for what went wrong around `runMode` itself (it never throws for the mode's own errors). */
function crashed(name: string, step: PlannedStep, error: unknown): ModeRunResult {
  const info = toErrorInfo(error);
  const message = `${label(name, step.command)} failed: ${info.code !== 'ERROR' ? `${info.code}: ` : ''}${info.message}`;
  return { mode: name, ...(step.command ? { command: step.command } : {}), status: 'failed', summary: message, findings: [{ severity: 'error', rule: MODE_RULES.error, message }], data: undefined, artifacts: [], durationMs: 0 };
}

/** Several steps of one mode as one result: the worst status, every finding and artifact, the last step's data. */
function combine(name: string, results: ModeRunResult[]): ModeRunResult {
  if (results.length === 1) return results[0];
  const last = results[results.length - 1];
  const commands = results.map((r) => r.command ?? '(run)');
  return {
    mode: name,
    command: commands.join('+'),
    status: worstStatus(results.map((r) => r.status)) as ModeStatus,
    summary: results.map((r) => `${r.command ?? name}: ${r.summary}`).join('; '),
    findings: results.flatMap((r) => r.findings),
    data: last.data,
    artifacts: [...new Set(results.flatMap((r) => r.artifacts))],
    durationMs: results.reduce((sum, r) => sum + r.durationMs, 0),
  };
}

/** The stage's engine as one mode sees it: its batches are recorded in the metrics as that mode's. */
function engineFor(engine: BatchEngine, name: string, sc: StageContext): ModeEngine {
  return {
    async run(batch: unknown, opts: RunOptions = {}): Promise<BatchResult> {
      const result = await engine.run(batch, { ...opts, record: false });
      // Recording is best effort: a read-only .sparc/ must not fail the mode's work.
      await sc.monitor?.record(result.metrics, { kind: 'pipeline', runId: sc.runId, mode: name }).catch(() => undefined);
      return result;
    },
  };
}

async function runPlannedMode(planned: PlannedMode, engine: BatchEngine, sc: StageContext): Promise<ModeOutcome> {
  const { name } = planned;
  const startMs = sc.clock();
  sc.progress(`${name} started`);
  const results: ModeRunResult[] = [];
  let ctx: ModeContext | undefined;
  for (const step of planned.steps) {
    let result: ModeRunResult;
    try {
      ctx ??= {
        runId: sc.runId,
        workspace: sc.workspace,
        engine: engineFor(engine, name, sc),
        pool: () => engine.pool(),
        signal: sc.signal,
        progress: (message) => sc.progress(`${name}: ${message}`),
        artifacts: createArtifactWriter(sc.workspace, sc.runId, name),
        upstream: sc.upstream,
        ...(sc.spec ? { spec: sc.spec } : {}),
      };
      result = await runMode(planned.mode, ctx, step.options, step.command !== undefined ? { command: step.command } : {});
    } catch (error) {
      result = crashed(name, step, error);
    }
    if (result.findings.some((f) => f.rule === MODE_RULES.options)) {
      const note: Finding = { severity: 'info', rule: 'pipeline.options-source', message: `${label(name, step.command)}: options from ${planned.source}` };
      result = { ...result, findings: [...result.findings, note] };
    }
    results.push(result);
    if (result.status === 'failed') break;
  }
  const result = combine(name, results);
  const endMs = sc.clock();
  sc.progress(`${name} ${result.status}: ${result.summary}`);
  return { name, commands: planned.steps.map((s) => s.command), status: result.status, result, startMs, endMs };
}

/**
 * Runs a stage's modes side by side (at most `concurrency` at once) on one engine and one worker
 * pool. Each mode always ends with a result: a mode that fails or throws does not stop the others.
 */
export async function runStage(stage: PlannedStage, sc: StageContext): Promise<StageOutcome> {
  const engine = new BatchEngine({ workspace: sc.workspace, monitor: false, ...(sc.operations ? { registry: sc.operations } : {}) });
  const startMs = sc.clock();
  const outcomes: ModeOutcome[] = new Array(stage.modes.length);
  const limit = Math.max(1, Math.min(stage.concurrency ?? Infinity, sc.concurrency ?? Infinity, stage.modes.length));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < stage.modes.length) {
      const index = next++;
      outcomes[index] = await runPlannedMode(stage.modes[index], engine, sc);
    }
  };
  try {
    await Promise.all(Array.from({ length: limit }, lane));
  } finally {
    await engine.close();
  }
  return { name: stage.name, status: worstStatus(outcomes.map((o) => o.status)), startMs, endMs: sc.clock(), modes: outcomes };
}

/** A stage that did not run: every mode listed as skipped at the moment the pipeline stopped. */
export function skippedStage(stage: PlannedStage, atMs: number): StageOutcome {
  return {
    name: stage.name,
    status: 'skipped',
    startMs: atMs,
    endMs: atMs,
    modes: stage.modes.map((m) => ({ name: m.name, commands: m.steps.map((s) => s.command), status: 'skipped', startMs: atMs, endMs: atMs })),
  };
}
