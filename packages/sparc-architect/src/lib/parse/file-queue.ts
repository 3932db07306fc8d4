/** Who took a file from the queue: nobody yet (or the parse thread, which claims without telling), the main thread, or the pool. */
export const TAKEN_BY_THREAD_OR_NOBODY = 0;
export const TAKEN_BY_MAIN = 1;
export const TAKEN_BY_POOL = 2;

/** What the parse thread needs to claim files (see workers/lex-or-read). */
export interface SharedClaims {
  /** `[next position from the front]`. */
  front: SharedArrayBuffer;
  /** One byte per position, set by whoever claims it first. */
  claimed: SharedArrayBuffer;
  /** The thread claims positions below this one only (the files it is good at come first). */
  limit: number;
}

/**
 * The files left to parse, in an order of positions. The parse thread claims from the front, the
 * main thread (and the pool's lanes) from the back; each position is claimed once, with Atomics on
 * shared memory, so the thread never waits for the main thread (which may be deep in one large
 * file) to hand it work. Files given back (a thread failed) are taken first, on the main thread's side.
 */
export class FileQueue {
  readonly claims: SharedClaims;
  /** TAKEN_BY_* of each position, for what the main thread's side took. */
  readonly takenBy: Uint8Array;
  readonly #sizes: readonly number[];
  readonly #claimed: Uint8Array;
  #back: number;
  readonly #returned: number[] = [];

  /** `sizes` by position; the thread claims positions below `threadLimit`. */
  constructor(sizes: readonly number[], threadLimit = sizes.length) {
    this.#sizes = sizes;
    this.#back = sizes.length;
    this.claims = { front: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT), claimed: new SharedArrayBuffer(Math.max(1, sizes.length)), limit: threadLimit };
    this.#claimed = new Uint8Array(this.claims.claimed);
    this.takenBy = new Uint8Array(sizes.length);
  }

  /** Claims one position from the front, as the parse thread does; undefined once the ends have met or the limit is reached. */
  static claimFromFront(claims: SharedClaims, front = new Int32Array(claims.front), claimed = new Uint8Array(claims.claimed)): number | undefined {
    const position = Atomics.add(front, 0, 1);
    if (position >= claims.limit || Atomics.compareExchange(claimed, position, 0, 1) !== 0) return undefined;
    return position;
  }

  /** Positions the parse thread has claimed: every claimed position the main thread's side did not take. */
  claimedByThread(): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.#sizes.length; p++) if (Atomics.load(this.#claimed, p) === 1 && this.takenBy[p] === TAKEN_BY_THREAD_OR_NOBODY) out.push(p);
    return out;
  }

  /** Positions of the next files from the back: at least one (while any is left), then more while under `maxBytes`. */
  take(maxBytes: number, by: typeof TAKEN_BY_MAIN | typeof TAKEN_BY_POOL): number[] {
    const out: number[] = [];
    let bytes = 0;
    while (out.length === 0 || bytes < maxBytes) {
      let position = this.#returned.pop();
      if (position === undefined) {
        // Positions the thread claimed are skipped, not taken as the end: it claims in order, but one
        // that gave up a claim (or a thread run with another limit) may have left a gap behind.
        while (this.#back > 0 && Atomics.compareExchange(this.#claimed, this.#back - 1, 0, 1) !== 0) this.#back--;
        if (this.#back === 0) break;
        position = --this.#back;
      }
      this.takenBy[position] = by;
      out.push(position);
      bytes += this.#sizes[position];
    }
    return out;
  }

  /** Puts positions back (whoever held them failed); the main thread or the pool takes them next. */
  giveBack(positions: readonly number[]): void {
    for (let k = positions.length - 1; k >= 0; k--) this.#returned.push(positions[k]);
  }
}
