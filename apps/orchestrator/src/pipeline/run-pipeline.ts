import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findSpecFile, loadSpec, newRunId, PerformanceMonitor, SpecError, Workspace, type ModeResult, type ModeStatus, type SparcSpec } from '@sparc/batch-core';
import { z } from 'zod';
import { loadConfig } from '../config/load';
import { withCustomModes } from '../config/registry';
import { createModeRegistry } from '../modes/registry';
import { PipelineError } from './errors';
import { planPipeline } from './plan';
import { writeReports } from './report/write';
import { runStage, skippedStage, worstStatus } from './run-stage';
import { toSummaryJson } from './summary';
import type { PipelineRun, RunPipelineOptions, RunPipelineResult, StageOutcome } from './types';

const optionsSchema = z.object({
  dir: z.string().min(1, 'the workspace folder is required'),
  spec: z.string().min(1).optional(),
  pipeline: z.string().min(1).optional(),
  only: z.array(z.string().min(1)).optional(),
  keepGoing: z.boolean().optional(),
  concurrency: z.number().int().min(1).optional(),
});

function checkOptions(options: RunPipelineOptions): void {
  const parsed = optionsSchema.safeParse({ ...options, signal: undefined, progress: undefined, modes: undefined });
  if (parsed.success) return;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(options)', message: i.message }));
  throw new PipelineError('INVALID_OPTIONS', `invalid pipeline options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

interface RunSpec {
  spec?: SparcSpec;
  /** Workspace-relative, posix separators. */
  specFile?: string;
}

/**
 * The run's spec. A `--spec` that cannot be read is an error before anything runs. A spec that
 * does not validate is left to the `spec` mode, which reports each problem with its path; the
 * other modes run without it.
 */
async function loadRunSpec(workspace: Workspace, requested: string | undefined, progress: (m: string) => void): Promise<RunSpec> {
  const file = requested !== undefined ? path.resolve(workspace.root, requested) : await findSpecFile(workspace.root);
  if (file === undefined) return {};
  // Modes see a spec inside the workspace by its relative path; one elsewhere keeps its absolute path.
  const specFile = workspace.contains(file) ? workspace.relative(file) : file;
  try {
    return { spec: await loadSpec(file), specFile };
  } catch (error) {
    if (error instanceof SpecError && error.issues.length > 0) {
      progress(`the spec ${specFile} does not validate; modes run without it (${error.issues.length} problem(s))`);
      return { specFile };
    }
    throw error;
  }
}

/**
 * Runs a pipeline in the workspace `options.dir`: its stages in order, the modes of each stage in
 * parallel on one engine and worker pool, each mode with the spec and the results of the modes
 * before it. Writes `.sparc/reports/<run-id>/` (summary.json, summary.md, report.html,
 * timeline.json) and resolves once they are written. Throws before anything runs for an
 * unknown pipeline or mode, an invalid config, or a spec file that cannot be read.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunPipelineResult> {
  checkOptions(options);
  const progress = options.progress ?? (() => undefined);
  const workspace = await Workspace.open(path.resolve(options.dir));
  const config = await loadConfig(workspace.root);
  const registry = withCustomModes(options.modes ?? createModeRegistry(), config);
  const { spec, specFile } = await loadRunSpec(workspace, options.spec, progress);
  const plan = planPipeline(config, registry, { ...(options.pipeline ? { pipeline: options.pipeline } : {}), ...(options.only ? { only: options.only } : {}), ...(specFile ? { specFile } : {}) });

  const runId = newRunId();
  const startedAt = new Date().toISOString();
  const signal = options.signal ?? new AbortController().signal;
  const monitor = new PerformanceMonitor(workspace.root);
  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const upstream: Record<string, ModeResult> = {};
  const stages: StageOutcome[] = [];
  let stopped = false;

  for (const stage of plan.stages) {
    if (stopped || signal.aborted) {
      stages.push(skippedStage(stage, clock()));
      continue;
    }
    progress(`stage ${stage.name}: ${stage.modes.map((m) => m.name).join(', ')}`);
    const outcome = await runStage(stage, {
      workspace,
      runId,
      ...(spec ? { spec } : {}),
      upstream: { ...upstream },
      signal,
      progress: (message) => progress(`${stage.name} › ${message}`),
      monitor,
      clock,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.operations ? { operations: options.operations } : {}),
    });
    stages.push(outcome);
    for (const mode of outcome.modes) if (mode.result) upstream[mode.name] = mode.result;
    if (outcome.status === 'failed' && !options.keepGoing) {
      stopped = true;
      progress(`stage ${stage.name} failed; the pipeline stops here (--keep-going runs the next stages anyway)`);
    }
  }

  const ran = worstStatus(stages.map((s) => s.status));
  const status: ModeStatus = signal.aborted ? 'failed' : ran === 'skipped' ? 'passed' : ran;
  const run: PipelineRun = { runId, pipeline: plan.name, status, startedAt, workspace: workspace.root, stages, ...(specFile ? { specFile } : {}) };
  const reportDir = await writeReports(workspace, run);
  progress(`report: ${reportDir}`);
  return { runId, status, reportDir, summary: toSummaryJson(run) };
}
