import type { HandlerContext } from '../types';

/** Workspace-relative form of `p` (forward slashes, '' for the root); refuses paths outside. */
export function workspacePath(ctx: HandlerContext, p: string): string {
  return ctx.workspace.relative(ctx.workspace.resolve(p));
}

/** Throws the signal's own reason (the engine sets a TimeoutError or CancelledError). */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
