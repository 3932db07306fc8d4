import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ProgressReporter {
  /** `done`/`total` when the work is countable (operations), else each message counts one step. */
  (message: string, done?: number, total?: number): void;
  /**
   * Resolves once every notification sent so far has gone out. A tool awaits it before it answers:
   * a progress notification that arrives after the answer names a token the client has already
   * dropped, which the client reports as an error.
   */
  settled(): Promise<void>;
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
  if (token === undefined) return Object.assign(() => undefined, { settled: () => Promise.resolve() });
  let step = 0;
  let sent: Promise<void> = Promise.resolve();
  const report = (message: string, done?: number, total?: number) => {
    // Progress must increase with every notification.
    step = done !== undefined && done > step ? done : step + 1;
    const sending = extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: step, ...(total !== undefined ? { total } : {}), message },
      })
      .catch((error: unknown) => log(`progress notification failed: ${error instanceof Error ? error.message : String(error)}`));
    sent = Promise.all([sent, sending]).then(() => undefined);
  };
  return Object.assign(report, { settled: () => sent });
}
