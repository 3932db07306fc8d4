import type { OperationHandler, RetryPolicy } from '../operations/types';

/** One planned operation as an object: a view built on request, never on the run's path. */
export interface PlannedOperation {
  index: number;
  id: string;
  type: string;
  params: unknown;
  handler: OperationHandler;
  dependsOn: string[];
  /** Indexes of the operations this one waits for. */
  deps: number[];
  /** Indexes of the operations waiting for this one. */
  dependents: number[];
  timeoutMs?: number;
  retry?: RetryPolicy;
  priority: number;
}

/** Edges as compressed rows: node i's targets are `targets[offsets[i] .. offsets[i + 1])`. */
export interface EdgeRows {
  offsets: Int32Array;
  targets: Int32Array;
}

const NO_TARGETS = new Int32Array(0);

/**
 * A validated batch held column by column: one array per field instead of one object per
 * operation. A 100k-operation batch then costs a handful of large arrays, which the young
 * generation's collector does not copy, instead of 100k objects it copies twice.
 */
export class OperationPlan {
  readonly size: number;
  /** `null` when ids are the indexes themselves (tasks of `parallel()`): no string per operation. */
  readonly ids: string[] | null;
  readonly handlers: OperationHandler[];
  readonly params: ArrayLike<unknown>;
  /** Per-operation timeouts in ms, NaN for none; `null` when no operation has one. */
  timeouts: Float64Array | null = null;
  retries: Array<RetryPolicy | undefined> | null = null;
  /** `null` when every priority is 0. */
  priorities: Float64Array | null = null;
  /** The ids each operation named in `dependsOn`; `null` when none did. */
  dependsOn: Array<string[] | undefined> | null = null;
  deps: EdgeRows | null = null;
  dependents: EdgeRows | null = null;

  constructor(size: number, ids: string[] | null, handlers: OperationHandler[], params: ArrayLike<unknown>) {
    this.size = size;
    this.ids = ids;
    this.handlers = handlers;
    this.params = params;
  }

  idOf(index: number): string {
    return this.ids === null ? String(index) : this.ids[index];
  }

  typeOf(index: number): string {
    return this.handlers[index].type;
  }

  timeoutOf(index: number): number | undefined {
    if (this.timeouts === null) return undefined;
    const timeout = this.timeouts[index];
    return Number.isNaN(timeout) ? undefined : timeout;
  }

  retryOf(index: number): RetryPolicy | undefined {
    return this.retries === null ? undefined : this.retries[index];
  }

  priorityOf(index: number): number {
    return this.priorities === null ? 0 : this.priorities[index];
  }

  depCount(index: number): number {
    const rows = this.deps;
    return rows === null ? 0 : rows.offsets[index + 1] - rows.offsets[index];
  }

  depsOf(index: number): Int32Array {
    return rowOf(this.deps, index);
  }

  dependentsOf(index: number): Int32Array {
    return rowOf(this.dependents, index);
  }

  /** Operation `index` as an object (for callers that list or describe a batch). */
  operation(index: number): PlannedOperation {
    const timeoutMs = this.timeoutOf(index);
    const retry = this.retryOf(index);
    return {
      index,
      id: this.idOf(index),
      type: this.typeOf(index),
      params: this.params[index],
      handler: this.handlers[index],
      dependsOn: this.dependsOn?.[index] ?? [],
      deps: Array.from(this.depsOf(index)),
      dependents: Array.from(this.dependentsOf(index)),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(retry !== undefined ? { retry } : {}),
      priority: this.priorityOf(index),
    };
  }

  operations(): PlannedOperation[] {
    return Array.from({ length: this.size }, (_, index) => this.operation(index));
  }
}

function rowOf(rows: EdgeRows | null, index: number): Int32Array {
  if (rows === null) return NO_TARGETS;
  const start = rows.offsets[index];
  const end = rows.offsets[index + 1];
  return start === end ? NO_TARGETS : rows.targets.subarray(start, end);
}

/** Reverses edge rows: who points at each node, each row in ascending node order. */
export function reverseRows(rows: EdgeRows, size: number): EdgeRows {
  const offsets = new Int32Array(size + 1);
  const targets = rows.targets;
  for (let i = 0; i < targets.length; i++) offsets[targets[i] + 1]++;
  for (let i = 0; i < size; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, size);
  const reversed = new Int32Array(targets.length);
  for (let node = 0; node < size; node++) {
    for (let e = rows.offsets[node]; e < rows.offsets[node + 1]; e++) reversed[fill[targets[e]]++] = node;
  }
  return { offsets, targets: reversed };
}
