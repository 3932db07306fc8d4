import { PathIndex, type PathCursor } from './path-index';

/**
 * The parse cache's table of files: per slot a path, size, modification time and result number,
 * and what this run knows about it. Columns are typed arrays, taken over from the loaded file
 * (views of its buffer, updated in place) and grown when files are added.
 */
export class FileSlots {
  readonly index: PathIndex;
  sizes: Float64Array;
  mtimes: Float64Array;
  resultOf: Int32Array;
  /** 1 for each file this run looked up or parsed: the others are gone. */
  seen: Uint8Array;
  /** 1 where a slot differs from the full cache file (it comes from the delta, or changed in this run). */
  changed: Uint8Array;
  /** 1 for files of the full cache file that the delta says are gone. */
  removed: Uint8Array;

  constructor(loaded?: { paths: string[]; sizes: Float64Array; mtimes: Float64Array; resultOf: Int32Array }) {
    this.index = new PathIndex(loaded?.paths);
    this.sizes = loaded?.sizes ?? new Float64Array(256);
    this.mtimes = loaded?.mtimes ?? new Float64Array(256);
    this.resultOf = loaded?.resultOf ?? new Int32Array(256);
    this.seen = new Uint8Array(this.sizes.length);
    this.changed = new Uint8Array(this.sizes.length);
    this.removed = new Uint8Array(this.sizes.length);
  }

  get count(): number {
    return this.index.size;
  }

  find(file: string, cursor: PathCursor): number | undefined {
    return this.index.find(file, cursor);
  }

  /** The slot of a file, added when it has none. */
  slotOf(file: string, cursor: PathCursor): { slot: number; added: boolean } {
    const found = this.index.find(file, cursor);
    if (found !== undefined) return { slot: found, added: false };
    const slot = this.index.add(file);
    if (slot >= this.sizes.length) this.#grow(Math.max(slot + 1, this.sizes.length * 2));
    return { slot, added: true };
  }

  #grow(capacity: number): void {
    this.sizes = grown(this.sizes, new Float64Array(capacity));
    this.mtimes = grown(this.mtimes, new Float64Array(capacity));
    this.resultOf = grown(this.resultOf, new Int32Array(capacity));
    this.seen = grown(this.seen, new Uint8Array(capacity));
    this.changed = grown(this.changed, new Uint8Array(capacity));
    this.removed = grown(this.removed, new Uint8Array(capacity));
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
