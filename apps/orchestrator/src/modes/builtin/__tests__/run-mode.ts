import { createModeContext, runMode, Workspace, type ModeDefinition, type ModeResult, type ModeRunResult, type SparcSpec } from '@sparc/batch-core';

/** Runs a built-in mode in `dir` the way the CLI and the pipeline do: a workspace, an engine, artifacts under the run folder. */
export async function runIn<D = unknown>(
  dir: string,
  mode: ModeDefinition,
  options: Record<string, unknown> = {},
  extra: { upstream?: Record<string, ModeResult>; spec?: SparcSpec; command?: string; signal?: AbortSignal } = {},
): Promise<ModeRunResult<D> & { runId: string }> {
  const workspace = await Workspace.open(dir);
  const { ctx, close } = createModeContext({
    workspace,
    mode: mode.name,
    ...(extra.signal ? { signal: extra.signal } : {}),
    ...(extra.upstream ? { upstream: extra.upstream } : {}),
    ...(extra.spec ? { spec: extra.spec } : {}),
  });
  try {
    const result = await runMode<D>(mode, ctx, options, extra.command ? { command: extra.command } : {});
    return { ...result, runId: ctx.runId };
  } finally {
    await close();
  }
}
