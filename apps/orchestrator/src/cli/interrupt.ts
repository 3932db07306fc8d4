import type { OutputStream } from './context';

/**
 * Runs `work` with a signal that Ctrl-C or SIGTERM aborts, so operations stop, started processes
 * are stopped and the engine reports them as cancelled (`reason` is what the signal aborts with:
 * the engine's CancelledError). A second signal exits at once with the conventional 128 + signal.
 */
export async function withInterrupt<T>(stderr: OutputStream, reason: (signal: NodeJS.Signals) => unknown, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130);
    stderr.write(`${stderr.isTTY ? '\n' : ''}cancelling on ${signal}${signal === 'SIGINT' ? ' (press Ctrl-C again to quit now)' : ''}\n`);
    controller.abort(reason(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
