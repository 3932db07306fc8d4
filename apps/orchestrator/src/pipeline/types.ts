import type { Finding, ModeRegistry, ModeRunResult, ModeStatus, OperationRegistry } from '@sparc/batch-core';

/** A stage or mode that never ran because an earlier stage failed (or the run was cancelled). */
export type StageStatus = ModeStatus | 'skipped';

export interface SummaryModeJson {
  name: string;
  status: StageStatus;
  durationMs: number;
  findings: Finding[];
}

export interface SummaryStageJson {
  name: string;
  status: StageStatus;
  /** Wall time of the stage, from its first mode's start to its last mode's end. */
  durationMs: number;
  modes: SummaryModeJson[];
}

/** `summary.json` of a run, exactly. */
export interface SummaryJson {
  runId: string;
  status: ModeStatus;
  stages: SummaryStageJson[];
}

export interface RunPipelineOptions {
  /** Workspace root. */
  dir: string;
  /** Spec file, relative to `dir` (default: `sparc.spec.json|yaml|yml` there, if any). */
  spec?: string;
  /** A pipeline of the config, or the built-in "sparc" (default: the config's `pipeline`, else "sparc"). */
  pipeline?: string;
  /** Stage or mode names to keep; the rest of the pipeline is left out. */
  only?: string[];
  /** Go on with the next stages after a stage fails. */
  keepGoing?: boolean;
  /** At most this many modes of a stage at once (default: all of them). */
  concurrency?: number;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /** Modes to use instead of the built-in registry; the config's custom modes are added to them. */
  modes?: ModeRegistry;
  /**
   * Operation handlers for the stages' engines (default: the built-in ones). The MCP server passes
   * its exec-checked registry, so `--allow-exec` holds inside pipelines too.
   */
  operations?: OperationRegistry;
}

export interface RunPipelineResult {
  runId: string;
  status: ModeStatus;
  /** Absolute path of `.sparc/reports/<run-id>/`. */
  reportDir: string;
  summary: SummaryJson;
}

/** One mode's run in the pipeline, with its measured place on the timeline. */
export interface ModeOutcome {
  name: string;
  /** The commands it ran, in order (`undefined`: the mode's own run). */
  commands: Array<string | undefined>;
  status: StageStatus;
  /** Combined result of its steps; absent when it was skipped. */
  result?: ModeRunResult;
  /** Milliseconds from the pipeline's start. */
  startMs: number;
  endMs: number;
}

export interface StageOutcome {
  name: string;
  status: StageStatus;
  startMs: number;
  endMs: number;
  modes: ModeOutcome[];
}

/** Everything a report needs about a finished run. */
export interface PipelineRun {
  runId: string;
  pipeline: string;
  status: ModeStatus;
  /** ISO time the run started. */
  startedAt: string;
  /** Workspace-relative spec file, when the run had one. */
  specFile?: string;
  workspace: string;
  stages: StageOutcome[];
}
