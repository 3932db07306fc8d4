import type { TaskDef } from '../model/types';

/** Higher priority first, then plan order. */
export function comesBefore(a: TaskDef, b: TaskDef): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
}

/** The tasks waiting at one place (a capability, an agent, a group): a binary heap by priority, then plan order. */
export class PriorityTaskQueue {
  #heap: TaskDef[] = [];

  get size(): number {
    return this.#heap.length;
  }

  peek(): TaskDef | undefined {
    return this.#heap[0];
  }

  push(task: TaskDef): void {
    const heap = this.#heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!comesBefore(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  pop(): TaskDef | undefined {
    const heap = this.#heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as TaskDef;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && comesBefore(heap[left], heap[best])) best = left;
        if (right < heap.length && comesBefore(heap[right], heap[best])) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best], heap[i]];
        i = best;
      }
    }
    return top;
  }

  /** Removes and returns every task (in no particular order). */
  drain(): TaskDef[] {
    const all = this.#heap;
    this.#heap = [];
    return all;
  }
}

/** A ring stage's inbox: strictly first come, first served; an agent takes the first task it can do. */
export class FifoTaskQueue {
  #items: TaskDef[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(task: TaskDef): void {
    this.#items.push(task);
  }

  /** A retried task goes back to the front: it keeps its place in the stage's order. */
  pushFront(task: TaskDef): void {
    if (this.#head > 0) this.#items[--this.#head] = task;
    else this.#items.unshift(task);
  }

  peek(): TaskDef | undefined {
    return this.#items[this.#head];
  }

  takeFirst(accept: (task: TaskDef) => boolean): TaskDef | undefined {
    for (let i = this.#head; i < this.#items.length; i++) {
      const task = this.#items[i];
      if (!accept(task)) continue;
      if (i === this.#head) {
        this.#head++;
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
      } else {
        this.#items.splice(i, 1);
      }
      return task;
    }
    return undefined;
  }

  drain(): TaskDef[] {
    const all = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return all;
  }
}
