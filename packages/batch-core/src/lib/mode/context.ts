import { BatchEngine } from '../engine/engine';
import type { SparcSpec } from '../spec/schema';
import type { Workspace } from '../workspace/workspace';
import { createArtifactWriter, newRunId } from './artifacts';
import type { ModeContext, ModeResult } from './types';

export interface ModeContextOptions {
  workspace: Workspace;
  /** The mode the context is for: names its report folder `.sparc/reports/<run-id>/<mode>/`. */
  mode: string;
  /** An engine to share; without one, a new engine on the workspace (no metrics) is made, and `close()` closes it. */
  engine?: BatchEngine;
  /** @default a new run id */
  runId?: string;
  /** @default a signal that never aborts */
  signal?: AbortSignal;
  /** @default progress is dropped */
  progress?: (message: string) => void;
  spec?: SparcSpec;
  /** @default no upstream results */
  upstream?: Record<string, ModeResult>;
}

/**
 * A `ModeContext` wired the way every surface wires one: the engine and its shared worker pool,
 * an artifact writer for the mode's report folder. For embedding modes (and testing them) without
 * repeating the wiring. `close()` closes the engine when this function made it.
 */
export function createModeContext(options: ModeContextOptions): { ctx: ModeContext; close(): Promise<void> } {
  const owned = options.engine === undefined;
  const engine = options.engine ?? new BatchEngine({ workspace: options.workspace, monitor: false });
  const runId = options.runId ?? newRunId();
  const ctx: ModeContext = {
    runId,
    workspace: options.workspace,
    engine,
    pool: () => engine.pool(),
    signal: options.signal ?? new AbortController().signal,
    progress: options.progress ?? (() => undefined),
    artifacts: createArtifactWriter(options.workspace, runId, options.mode),
    upstream: options.upstream ?? {},
    ...(options.spec ? { spec: options.spec } : {}),
  };
  return { ctx, close: () => (owned ? engine.close() : Promise.resolve()) };
}
