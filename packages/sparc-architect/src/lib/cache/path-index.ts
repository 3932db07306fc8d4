import { sortedIndexOf } from '../graph/build-graph';

/** Where a reader of a `PathIndex` expects the next path: just after the last one it found. */
export interface PathCursor {
  next: number;
}

/**
 * Paths by slot number. The paths loaded from a cache file are sorted (the caches store them
 * sorted) and lookups nearly always come in that order too (files are listed sorted), so each
 * reader keeps a cursor and finds its path by comparing one string; a lookup out of order is a
 * binary search. Paths added later go to the end and are found through a Map. No path is hashed
 * unless it was added.
 */
export class PathIndex {
  readonly paths: string[];
  /** `paths[0..sorted)` are in ascending order. */
  readonly #sorted: number;
  readonly #added = new Map<string, number>();

  /** `sorted` paths must be in ascending order (as `<` compares them). */
  constructor(sorted: string[] = []) {
    this.paths = sorted;
    this.#sorted = sorted.length;
  }

  get size(): number {
    return this.paths.length;
  }

  find(path: string, cursor: PathCursor): number | undefined {
    const at = cursor.next;
    const paths = this.paths;
    if (at < paths.length && paths[at] === path) {
      cursor.next = at + 1;
      return at;
    }
    // The same path asked for again (one reader looking at one file twice).
    if (at > 0 && paths[at - 1] === path) return at - 1;
    let slot: number | undefined = sortedIndexOf(paths, path, this.#sorted);
    if (slot < 0) slot = this.#added.get(path);
    if (slot !== undefined) cursor.next = slot + 1;
    return slot;
  }

  /** Adds a path (not yet present) and returns its slot. */
  add(path: string): number {
    const slot = this.paths.length;
    this.paths.push(path);
    this.#added.set(path, slot);
    return slot;
  }
}
