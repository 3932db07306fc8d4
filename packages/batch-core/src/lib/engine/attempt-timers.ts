import { TimeoutError } from '../errors';

/** Only attempts with their own timeout get a controller and timers. */
interface TimedAttempt {
  controller: AbortController;
  timer: NodeJS.Timeout;
  abandonTimer?: NodeJS.Timeout;
}

/** The timeouts of a run's attempts: a controller per timed attempt, aborted when its time is up. */
export class AttemptTimers {
  readonly #timed = new Map<number, TimedAttempt>();

  /**
   * Starts the clock of operation `index`'s attempt; its signal aborts with a TimeoutError after
   * `timeoutMs`. A handler that ignores that signal must not hold the batch hostage: `abandonAfterMs`
   * later, `abandon` is called with the timeout as the reason.
   */
  arm(index: number, timeoutMs: number, abandonAfterMs: number, abandon: (reason: unknown) => void): AbortSignal {
    const controller = new AbortController();
    const timed: TimedAttempt = {
      controller,
      timer: setTimeout(() => {
        controller.abort(new TimeoutError(timeoutMs));
        timed.abandonTimer = setTimeout(() => abandon(controller.signal.reason), abandonAfterMs);
      }, timeoutMs),
    };
    this.#timed.set(index, timed);
    return controller.signal;
  }

  /** Stops the clock of operation `index`, if it has one, and returns its attempt's signal. */
  disarm(index: number): AbortSignal | undefined {
    if (this.#timed.size === 0) return undefined;
    const timed = this.#timed.get(index);
    if (timed === undefined) return undefined;
    clearTimeout(timed.timer);
    if (timed.abandonTimer) clearTimeout(timed.abandonTimer);
    this.#timed.delete(index);
    return timed.controller.signal;
  }

  abortAll(reason: unknown): void {
    for (const timed of this.#timed.values()) timed.controller.abort(reason);
  }
}
