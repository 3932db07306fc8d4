import { anchorShapes } from './shape-anchors';

/**
 * In-flight caps per operation type (e.g. `exec` at the number of cores), under a batch's own
 * concurrency: an operation whose type is at its cap waits here until one of its type finishes.
 */
export class TypeLimits {
  readonly #limits: Map<string, number>;
  readonly #inFlight = new Map<string, number>();
  readonly #blocked = new Map<string, number[]>();

  private constructor(limits: Map<string, number>) {
    this.#limits = limits;
  }

  /** The caps that can matter for a batch: of types it uses, below its concurrency. Null when none. */
  static forBatch(types: readonly string[], concurrency: number, limits: Map<string, number>): TypeLimits | null {
    if (limits.size === 0) return null;
    let relevant: Map<string, number> | null = null;
    for (const type of types) {
      const limit = limits.get(type);
      if (limit !== undefined && limit < concurrency) (relevant ??= new Map()).set(type, limit);
    }
    return relevant === null ? null : new TypeLimits(relevant);
  }

  /** True when operation `index` may start now; otherwise it is held until `release` hands it back. */
  admit(index: number, type: string): boolean {
    const limit = this.#limits.get(type);
    if (limit === undefined) return true;
    const running = this.#inFlight.get(type) ?? 0;
    if (running >= limit) {
      const blocked = this.#blocked.get(type);
      if (blocked) blocked.push(index);
      else this.#blocked.set(type, [index]);
      return false;
    }
    this.#inFlight.set(type, running + 1);
    return true;
  }

  /** One operation of `type` finished: returns an operation held back that may now be queued. */
  release(type: string): number | undefined {
    if (!this.#limits.has(type)) return undefined;
    this.#inFlight.set(type, (this.#inFlight.get(type) ?? 1) - 1);
    return this.#blocked.get(type)?.shift();
  }

  /** Forgets every held operation (the batch stopped; they are cancelled). */
  clear(): void {
    this.#blocked.clear();
  }
}

anchorShapes(TypeLimits.forBatch(['anchor'], 2, new Map([['anchor', 1]])) as TypeLimits);
