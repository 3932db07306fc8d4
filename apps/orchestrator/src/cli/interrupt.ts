import type { OutputStream } from './context';

/**
 * Runs `work` with a signal that Ctrl-C aborts, so operations stop and the engine reports them as
 * cancelled (`reason` is what the signal aborts with: the engine's CancelledError). A second
 * Ctrl-C exits at once with the conventional 130.
 */
export async function withInterrupt<T>(stderr: OutputStream, reason: () => unknown, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    stderr.write(`${stderr.isTTY ? '\n' : ''}cancelling (press Ctrl-C again to quit now)\n`);
    controller.abort(reason());
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
