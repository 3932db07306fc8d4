import { anchorShapes } from './shape-anchors';

/**
 * Operations ready to start: highest priority first, then submission order. A batch whose
 * operations all share one priority uses a FIFO (O(1)); otherwise a binary heap (O(log n)).
 */
export interface ReadyQueue {
  readonly size: number;
  push(index: number): void;
  shift(): number | undefined;
}

export class FifoQueue implements ReadyQueue {
  /**
   * The operations ready at the start, in order: a typed array, so a large batch costs no GC'd
   * slots; `null` when they are simply 0 .. initialLength - 1 (a batch without dependencies).
   */
  #initial: Int32Array | null;
  #initialLength: number;
  #initialHead = 0;
  #items: number[] = [];
  #head = 0;

  /** `initial`: the indexes ready at the start, or their count when they are 0 .. count - 1. */
  constructor(initial: Int32Array | number = 0) {
    if (typeof initial === 'number') {
      this.#initial = null;
      this.#initialLength = initial;
    } else {
      this.#initial = initial;
      this.#initialLength = initial.length;
    }
  }

  get size(): number {
    return this.#initialLength - this.#initialHead + this.#items.length - this.#head;
  }

  push(index: number): void {
    this.#items.push(index);
  }

  shift(): number | undefined {
    if (this.#initialHead < this.#initialLength) {
      const at = this.#initialHead++;
      return this.#initial === null ? at : this.#initial[at];
    }
    if (this.#head >= this.#items.length) return undefined;
    const value = this.#items[this.#head++];
    // Compact now and then so a long batch does not keep every consumed slot alive.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }
}

export class PriorityQueue implements ReadyQueue {
  #heap: number[] = [];
  #priority: ArrayLike<number>;

  /** `priority[i]` is operation i's priority; ties go to the lower index (submission order). */
  constructor(priority: ArrayLike<number>) {
    this.#priority = priority;
  }

  get size(): number {
    return this.#heap.length;
  }

  #before(a: number, b: number): boolean {
    const pa = this.#priority[a];
    const pb = this.#priority[b];
    return pa !== pb ? pa > pb : a < b;
  }

  push(index: number): void {
    const heap = this.#heap;
    heap.push(index);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  shift(): number | undefined {
    const heap = this.#heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && this.#before(heap[left], heap[best])) best = left;
        if (right < heap.length && this.#before(heap[right], heap[best])) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best], heap[i]];
        i = best;
      }
    }
    return top;
  }
}

anchorShapes(new FifoQueue(new Int32Array(0)), new PriorityQueue([]));
