import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ProgressReporter {
  /** `done`/`total` when the work is countable (operations), else each message counts one step. */
  (message: string, done?: number, total?: number): void;
}

/** Whether the client asked for progress notifications on this call. */
export function wantsProgress(extra: ToolExtra): boolean {
  return extra._meta?.progressToken !== undefined;
}

/**
 * Progress notifications for a call, sent only when the client asked for them (a progress token
 * in the request); otherwise a no-op, so tools report unconditionally.
 */
export function progressReporter(extra: ToolExtra, log: (line: string) => void): ProgressReporter {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => undefined;
  let step = 0;
  return (message, done, total) => {
    // Progress must increase with every notification.
    step = done !== undefined && done > step ? done : step + 1;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: step, ...(total !== undefined ? { total } : {}), message },
      })
      .catch((error: unknown) => log(`progress notification failed: ${error instanceof Error ? error.message : String(error)}`));
  };
}
