import { anchorShapes } from './shape-anchors';

/**
 * Operation id → index, for validation and dependency lookup. An open-addressing table over an
 * Int32Array: inserting 100k ids allocates nothing per id, where a Map spends more time growing
 * and rehashing than the rest of the batch's validation together.
 */
export class IdIndex {
  readonly #ids: string[];
  readonly #slots: Int32Array;
  readonly #mask: number;

  /** `ids` is read, not copied: slot values point into it. */
  constructor(ids: string[], capacity = ids.length) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.#ids = ids;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
  }

  /** Adds `ids[index]`; returns the index already holding the same id, or -1. */
  add(index: number): number {
    const id = this.#ids[index];
    let slot = hash(id) & this.#mask;
    for (;;) {
      const held = this.#slots[slot];
      if (held === 0) {
        this.#slots[slot] = index + 1;
        return -1;
      }
      if (this.#ids[held - 1] === id) return held - 1;
      slot = (slot + 1) & this.#mask;
    }
  }

  /** Index of `id`, or -1. */
  get(id: string): number {
    let slot = hash(id) & this.#mask;
    for (;;) {
      const held = this.#slots[slot];
      if (held === 0) return -1;
      if (this.#ids[held - 1] === id) return held - 1;
      slot = (slot + 1) & this.#mask;
    }
  }
}

/** FNV-1a over UTF-16 code units: cheap, and spreads the sequential ids batches usually have. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

anchorShapes(new IdIndex([]));
