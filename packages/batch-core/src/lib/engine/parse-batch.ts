import type { z } from 'zod';
import { DependencyCycleError, UnknownDependencyError, UnknownOperationTypeError, ValidationError, type ValidationIssue } from '../errors';
import type { OperationRegistry } from '../operations/registry';
import { batchInputSchema, isPlainValidBatch, isPlainValidOperation, operationInputSchema } from '../operations/schema';
import type { OperationHandler, RetryPolicy } from '../operations/types';
import { IdIndex } from './id-index';

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

export interface ParsedBatch {
  label?: string;
  operations: PlannedOperation[];
  concurrency: number;
  failFast: boolean;
  timeoutMs?: number;
  atomic: boolean;
  dryRun: boolean;
  /** True when every operation has the same priority: the scheduler can use a plain FIFO. */
  uniformPriority: boolean;
  /** The distinct operation types in the batch. */
  types: string[];
}

export const DEFAULT_CONCURRENCY = 6;

function issuesFrom(error: z.ZodError, prefix: string): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), prefix);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return { path, message };
  });
}

function describeIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

const schemaAcceptsAnything = new WeakMap<z.ZodType, boolean>();

/** Params schemas that accept anything need no parse (the no-op hot path). */
function acceptsAnything(schema: z.ZodType): boolean {
  let known = schemaAcceptsAnything.get(schema);
  if (known === undefined) {
    const type = (schema as unknown as { def?: { type?: string } }).def?.type;
    known = type === 'any' || type === 'unknown';
    schemaAcceptsAnything.set(schema, known);
  }
  return known;
}

/**
 * Shared by every operation without dependencies (most of them in large batches), so planning
 * does not allocate two arrays per operation. Replaced by a fresh array on first push.
 */
const NONE: readonly number[] = Object.freeze([]) as readonly number[];
const NO_IDS: readonly string[] = Object.freeze([]) as readonly string[];

/**
 * Validates a batch and plans it: every error names the operation and the field, unknown
 * dependencies name both ids, cycles are spelled out. Nothing runs before this succeeds.
 */
export function parseBatch(input: unknown, registry: OperationRegistry): ParsedBatch {
  const envelope = isPlainValidBatch(input) ? { success: true as const, data: input as z.output<typeof batchInputSchema> } : batchInputSchema.safeParse(input);
  if (!envelope.success) {
    const issues = issuesFrom(envelope.error, '');
    const shape = input === null || typeof input !== 'object' || Array.isArray(input) ? ' (a batch is an object: { "operations": [...] })' : '';
    throw new ValidationError(`invalid batch: ${describeIssues(issues)}${shape}`, issues);
  }
  const batch = envelope.data;
  const raw = batch.operations;
  const operations: PlannedOperation[] = new Array(raw.length);
  const ids: string[] = new Array(raw.length);
  const indexById = new IdIndex(ids, raw.length);
  let firstPriority: number | undefined;
  let uniformPriority = true;
  const types: string[] = [];
  let lastType: string | undefined;
  let lastHandler: OperationHandler | undefined;
  let lastParamsFree = false;

  for (let index = 0; index < raw.length; index++) {
    let op = raw[index] as Record<string, unknown>;
    if (!isPlainValidOperation(op)) {
      const parsed = operationInputSchema.safeParse(op);
      if (!parsed.success) {
        const id = typeof (op as { id?: unknown } | null)?.id === 'string' ? (op as { id: string }).id : undefined;
        const opIssues = issuesFrom(parsed.error, `operations[${index}]`);
        const where = id ? `operation "${id}" (operations[${index}])` : `operations[${index}]`;
        throw new ValidationError(`${where}: ${opIssues.map((i) => `${i.path.slice(`operations[${index}]`.length + 1) || 'value'}: ${i.message}`).join('; ')}`, opIssues);
      }
      op = parsed.data as Record<string, unknown>;
    }
    const id = op.id as string;
    const type = op.type as string;
    ids[index] = id;
    const earlier = indexById.add(index);
    if (earlier >= 0) {
      throw new ValidationError(`operation id "${id}" is used twice (operations[${earlier}] and operations[${index}])`, [{ path: `operations[${index}].id`, message: 'duplicate id' }], 'DUPLICATE_OPERATION_ID');
    }
    // Batches are usually runs of one type: look the handler up only when the type changes.
    if (type !== lastType) {
      lastHandler = registry.find(type);
      lastType = type;
      lastParamsFree = lastHandler !== undefined && acceptsAnything(lastHandler.params);
      if (lastHandler && !types.includes(type)) types.push(type);
    }
    const handler = lastHandler;
    if (!handler) {
      const error = new UnknownOperationTypeError(type, registry.types());
      error.issues.push({ path: `operations[${index}].type`, message: `unknown type "${type}"` });
      throw Object.assign(error, { message: `operation "${id}" (operations[${index}]): ${error.message}` });
    }
    let params = op.params;
    if (!lastParamsFree) {
      const parsed = handler.params.safeParse(params ?? {});
      if (!parsed.success) {
        const paramIssues = issuesFrom(parsed.error, `operations[${index}].params`);
        const detail = paramIssues.map((i) => `${i.path.slice(`operations[${index}].`.length)}: ${i.message}`).join('; ');
        throw new ValidationError(`operation "${id}" (operations[${index}], ${type}): ${detail}`, paramIssues);
      }
      params = parsed.data;
    }
    const priority = (op.priority as number | undefined) ?? 0;
    if (firstPriority === undefined) firstPriority = priority;
    else if (priority !== firstPriority) uniformPriority = false;
    const dependsOn = op.dependsOn as string[] | undefined;
    operations[index] = {
      index,
      id,
      type,
      params,
      handler,
      dependsOn: dependsOn && dependsOn.length > 0 ? dependsOn : (NO_IDS as string[]),
      deps: NONE as number[],
      dependents: NONE as number[],
      timeoutMs: op.timeoutMs as number | undefined,
      retry: op.retry as RetryPolicy | undefined,
      priority,
    };
  }

  linkDependencies(operations, indexById);
  return {
    label: batch.label,
    operations,
    concurrency: batch.concurrency ?? DEFAULT_CONCURRENCY,
    failFast: batch.failFast ?? false,
    timeoutMs: batch.timeoutMs,
    atomic: batch.atomic ?? false,
    dryRun: batch.dryRun ?? false,
    uniformPriority,
    types,
  };
}

function linkDependencies(operations: PlannedOperation[], indexById: IdIndex): void {
  let edges = 0;
  for (const op of operations) {
    if (op.dependsOn.length === 0) continue;
    const seen = new Set<number>();
    for (const depId of op.dependsOn) {
      const depIndex = indexById.get(depId);
      if (depIndex < 0) throw new UnknownDependencyError(op.id, depId);
      if (depIndex === op.index) throw new DependencyCycleError([op.id, op.id]);
      if (seen.has(depIndex)) continue;
      seen.add(depIndex);
      if (op.deps === NONE) op.deps = [];
      op.deps.push(depIndex);
      const dep = operations[depIndex];
      if (dep.dependents === NONE) dep.dependents = [];
      dep.dependents.push(op.index);
      edges++;
    }
  }
  if (edges > 0) assertAcyclic(operations);
}

/** Kahn's algorithm finds whether a cycle exists in O(V+E); only then a DFS spells one out. */
function assertAcyclic(operations: PlannedOperation[]): void {
  const pending = new Int32Array(operations.length);
  const queue: number[] = [];
  for (const op of operations) {
    pending[op.index] = op.deps.length;
    if (op.deps.length === 0) queue.push(op.index);
  }
  let visited = 0;
  for (let head = 0; head < queue.length; head++) {
    visited++;
    for (const next of operations[queue[head]].dependents) if (--pending[next] === 0) queue.push(next);
  }
  if (visited === operations.length) return;
  throw new DependencyCycleError(findCycle(operations, pending));
}

function findCycle(operations: PlannedOperation[], pending: Int32Array): string[] {
  // Only nodes left with pending > 0 can be on a cycle; walk dependencies iteratively.
  const state = new Uint8Array(operations.length); // 0 new, 1 on stack, 2 done
  for (const start of operations) {
    if (pending[start.index] === 0 || state[start.index] !== 0) continue;
    const stack: Array<{ node: number; next: number }> = [{ node: start.index, next: 0 }];
    state[start.index] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const deps = operations[frame.node].deps;
      if (frame.next >= deps.length) {
        state[frame.node] = 2;
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++];
      if (pending[dep] === 0) continue;
      if (state[dep] === 1) {
        const from = stack.findIndex((f) => f.node === dep);
        const cycle = stack.slice(from).map((f) => operations[f.node].id);
        // Edges point from an operation to what it depends on; show them in that direction.
        return [...cycle, operations[dep].id];
      }
      if (state[dep] === 0) {
        state[dep] = 1;
        stack.push({ node: dep, next: 0 });
      }
    }
  }
  return operations.filter((op) => pending[op.index] > 0).map((op) => op.id);
}
