import { BatchEngine, createArtifactWriter, newRunId, runMode, Workspace, type ModeDefinition, type ModeResult, type ModeRunResult, type SparcSpec } from '@sparc/batch-core';

/** Runs a built-in mode in `dir` the way the CLI and the pipeline do: a workspace, an engine, artifacts under the run folder. */
export async function runIn<D = unknown>(
  dir: string,
  mode: ModeDefinition,
  options: Record<string, unknown> = {},
  extra: { upstream?: Record<string, ModeResult>; spec?: SparcSpec; command?: string; signal?: AbortSignal } = {},
): Promise<ModeRunResult<D> & { runId: string }> {
  const workspace = await Workspace.open(dir);
  const engine = new BatchEngine({ workspace, monitor: false });
  const runId = newRunId();
  try {
    const result = await runMode<D>(
      mode,
      {
        runId,
        workspace,
        engine,
        pool: () => engine.pool(),
        signal: extra.signal ?? new AbortController().signal,
        progress: () => undefined,
        artifacts: createArtifactWriter(workspace, runId, mode.name),
        upstream: extra.upstream ?? {},
        ...(extra.spec ? { spec: extra.spec } : {}),
      },
      options,
      extra.command ? { command: extra.command } : {},
    );
    return { ...result, runId };
  } finally {
    await engine.close();
  }
}
