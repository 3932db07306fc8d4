import type { z } from 'zod';
import type { BatchResult } from '../operations/types';
import type { WorkerPool } from '../pool/types';
import type { SparcSpec } from '../spec/schema';
import type { Workspace } from '../workspace/workspace';
import type { SafeParsing } from './plain-schema';

export type ModeStatus = 'passed' | 'warning' | 'failed';

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: FindingSeverity;
  /** Stable rule id, e.g. `cycles.import-cycle`; lets callers group and filter findings. */
  rule: string;
  message: string;
  /** Workspace-relative path, when the finding is about a file. */
  file?: string;
  line?: number;
}

export interface ModeResult<D = unknown> {
  status: ModeStatus;
  /** One line a person can read. */
  summary: string;
  findings: Finding[];
  data: D;
  /** Workspace-relative paths of the files the mode wrote (see `ArtifactWriter.write`). */
  artifacts: string[];
}

/**
 * The engine as a mode sees it. Kept to the one method modes need so the contract does not pull
 * in the engine's implementation.
 */
export interface ModeEngine {
  run(batch: unknown, opts?: { signal?: AbortSignal }): Promise<BatchResult>;
}

/** Writes a mode's report files under `.sparc/reports/<run-id>/<mode>/`. */
export interface ArtifactWriter {
  /** Absolute path of the mode's report folder (created on first write). */
  readonly dir: string;
  /**
   * Writes `name` (a file name or a relative path below `dir`; `..` and absolute paths are refused)
   * and resolves to its workspace-relative path, the form `ModeResult.artifacts` lists.
   */
  write(name: string, content: string | Uint8Array): Promise<string>;
}

export interface ModeContext {
  /** Identifies one pipeline or mode run; names the report folder. */
  runId: string;
  workspace: Workspace;
  engine: ModeEngine;
  /** The shared worker pool, created on first use. */
  pool(): WorkerPool;
  /** Aborted when the run is cancelled; modes pass it to everything long-running. */
  signal: AbortSignal;
  /** A short line for people watching; the caller decides where (and whether) it shows. */
  progress(message: string): void;
  artifacts: ArtifactWriter;
  /** The validated project spec, when the run has one (see `loadSpec`). */
  spec?: SparcSpec;
  /** Results of the modes that ran before this one in the pipeline, by mode name. */
  upstream: Record<string, ModeResult>;
}

/** Options schemas are zod objects: one schema serves CLI flags, MCP input schemas and config files. */
export type ModeOptionsSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

export type ModeRunFunction<O extends ModeOptionsSchema, D> = (ctx: ModeContext, options: z.output<O>) => Promise<ModeResult<D>>;

export interface ModeCommandDefinition<O extends ModeOptionsSchema = ModeOptionsSchema, D extends z.ZodType = z.ZodType> {
  summary: string;
  options: O;
  /**
   * The option that takes the words after the command on a command line: a string option takes
   * one (`sparc code generate crud` → `generator: "crud"`), an array option takes all of them
   * (`sparc integration wait URL URL` → `resources: [...]`).
   */
  positionals?: string;
  data?: D;
  run: ModeRunFunction<O, z.output<D>>;
}

export interface ModeDefinition<O extends ModeOptionsSchema = ModeOptionsSchema, D extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly summary: string;
  readonly options: O;
  readonly data?: D;
  /** See `ModeCommandDefinition.positionals`. */
  readonly positionals?: string;
  /** Subcommands by name, each with its own options (`sparc code scan`, `sparc code generate`). */
  readonly commands: Readonly<Record<string, Readonly<ModeCommandDefinition>>>;
  readonly run: ModeRunFunction<O, z.output<D>>;
}

/**
 * The parts of a mode (or subcommand) that `runMode` uses. Every `ModeDefinition` is one; so is a
 * stand-in whose schemas are `plainFirst` wrappers, for a process that should not load zod.
 */
export interface RunnableTarget {
  readonly options: SafeParsing & { readonly shape: Readonly<Record<string, unknown>> };
  readonly data?: SafeParsing;
  run(ctx: ModeContext, options: unknown): Promise<ModeResult<unknown>>;
}

export interface RunnableMode extends RunnableTarget {
  readonly name: string;
  readonly commands: Readonly<Record<string, RunnableTarget>>;
}

/** What `runMode` returns: the mode's result plus who ran and how long it took. */
export interface ModeRunResult<D = unknown> extends ModeResult<D | undefined> {
  mode: string;
  command?: string;
  /** Wall time of option validation, the run and data validation, measured. */
  durationMs: number;
}
