import type { z } from 'zod';
import { DependencyCycleError, UnknownDependencyError, UnknownOperationTypeError, ValidationError, type ValidationIssue } from '../errors';
import type { OperationRegistry } from '../operations/registry';
import { batchInputSchema, isPlainValidBatch, isPlainValidOperation, operationInputSchema } from '../operations/schema';
import type { OperationHandler, RetryPolicy } from '../operations/types';
import { IdIndex } from './id-index';
import { OperationPlan, reverseRows, type EdgeRows, type PlannedOperation } from './plan';

export type { PlannedOperation } from './plan';

export interface ParsedBatch {
  label?: string;
  plan: OperationPlan;
  /** The operations one object each, built on first read: a run itself never needs them. */
  readonly operations: PlannedOperation[];
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

/** A class, not a literal with a getter: a getter made per batch would give every batch its own hidden class. */
class PlannedBatch implements ParsedBatch {
  label?: string;
  readonly plan: OperationPlan;
  concurrency: number;
  failFast: boolean;
  timeoutMs?: number;
  atomic: boolean;
  dryRun: boolean;
  uniformPriority: boolean;
  types: string[];
  #operations?: PlannedOperation[];

  constructor(plan: OperationPlan, fields: Omit<ParsedBatch, 'plan' | 'operations'>) {
    this.label = fields.label;
    this.plan = plan;
    this.concurrency = fields.concurrency;
    this.failFast = fields.failFast;
    this.timeoutMs = fields.timeoutMs;
    this.atomic = fields.atomic;
    this.dryRun = fields.dryRun;
    this.uniformPriority = fields.uniformPriority;
    this.types = fields.types;
  }

  get operations(): PlannedOperation[] {
    return (this.#operations ??= this.plan.operations());
  }
}

/** A ParsedBatch over `plan`, with its `operations` view built lazily. */
export function planned(plan: OperationPlan, fields: Omit<ParsedBatch, 'plan' | 'operations'>): ParsedBatch {
  return new PlannedBatch(plan, fields);
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
  const size = raw.length;
  const ids: string[] = new Array(size);
  const handlers: OperationHandler[] = new Array(size);
  const params: unknown[] = new Array(size);
  const plan = new OperationPlan(size, ids, handlers, params);
  const indexById = new IdIndex(ids, size);
  let firstPriority: number | undefined;
  let uniformPriority = true;
  const types: string[] = [];
  let lastType: string | undefined;
  let lastHandler: OperationHandler | undefined;
  let lastParamsFree = false;

  for (let index = 0; index < size; index++) {
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
    handlers[index] = handler;
    let value = op.params;
    if (!lastParamsFree) {
      const parsed = handler.params.safeParse(value ?? {});
      if (!parsed.success) {
        const paramIssues = issuesFrom(parsed.error, `operations[${index}].params`);
        const detail = paramIssues.map((i) => `${i.path.slice(`operations[${index}].`.length)}: ${i.message}`).join('; ');
        throw new ValidationError(`operation "${id}" (operations[${index}], ${type}): ${detail}`, paramIssues);
      }
      value = parsed.data;
    }
    params[index] = value;
    const priority = op.priority as number | undefined;
    if (priority !== undefined && priority !== 0) (plan.priorities ??= new Float64Array(size))[index] = priority;
    const effective = priority ?? 0;
    if (firstPriority === undefined) firstPriority = effective;
    else if (effective !== firstPriority) uniformPriority = false;
    const dependsOn = op.dependsOn as string[] | undefined;
    if (dependsOn !== undefined && dependsOn.length > 0) (plan.dependsOn ??= new Array(size))[index] = dependsOn;
    const timeoutMs = op.timeoutMs as number | undefined;
    if (timeoutMs !== undefined) (plan.timeouts ??= new Float64Array(size).fill(NaN))[index] = timeoutMs;
    const retry = op.retry as RetryPolicy | undefined;
    if (retry !== undefined) (plan.retries ??= new Array(size))[index] = retry;
  }

  if (plan.dependsOn !== null) linkDependencies(plan, indexById);
  return planned(plan, {
    label: batch.label,
    concurrency: batch.concurrency ?? DEFAULT_CONCURRENCY,
    failFast: batch.failFast ?? false,
    timeoutMs: batch.timeoutMs,
    atomic: batch.atomic ?? false,
    dryRun: batch.dryRun ?? false,
    uniformPriority,
    types,
  });
}

function linkDependencies(plan: OperationPlan, indexById: IdIndex): void {
  const size = plan.size;
  const dependsOn = plan.dependsOn as Array<string[] | undefined>;
  const offsets = new Int32Array(size + 1);
  const targets: number[] = [];
  // Which operation last listed each dependency: drops repeats in O(1) without a Set per operation.
  const listedBy = new Int32Array(size);
  for (let index = 0; index < size; index++) {
    const named = dependsOn[index];
    if (named !== undefined) {
      for (const depId of named) {
        const depIndex = indexById.get(depId);
        if (depIndex < 0) throw new UnknownDependencyError(plan.idOf(index), depId);
        if (depIndex === index) throw new DependencyCycleError([depId, depId]);
        if (listedBy[depIndex] === index + 1) continue;
        listedBy[depIndex] = index + 1;
        targets.push(depIndex);
      }
    }
    offsets[index + 1] = targets.length;
  }
  if (targets.length === 0) return;
  plan.deps = { offsets, targets: Int32Array.from(targets) };
  plan.dependents = reverseRows(plan.deps, size);
  assertAcyclic(plan);
}

/** Kahn's algorithm finds whether a cycle exists in O(V+E); only then a DFS spells one out. */
function assertAcyclic(plan: OperationPlan): void {
  const size = plan.size;
  const deps = plan.deps as EdgeRows;
  const dependents = plan.dependents as EdgeRows;
  const pending = new Int32Array(size);
  const queue = new Int32Array(size);
  let tail = 0;
  for (let index = 0; index < size; index++) {
    pending[index] = deps.offsets[index + 1] - deps.offsets[index];
    if (pending[index] === 0) queue[tail++] = index;
  }
  for (let head = 0; head < tail; head++) {
    const node = queue[head];
    for (let e = dependents.offsets[node]; e < dependents.offsets[node + 1]; e++) {
      const next = dependents.targets[e];
      if (--pending[next] === 0) queue[tail++] = next;
    }
  }
  if (tail === size) return;
  throw new DependencyCycleError(findCycle(plan, pending));
}

function findCycle(plan: OperationPlan, pending: Int32Array): string[] {
  // Only nodes left with pending > 0 can be on a cycle; walk dependencies iteratively.
  const size = plan.size;
  const state = new Uint8Array(size); // 0 new, 1 on stack, 2 done
  for (let start = 0; start < size; start++) {
    if (pending[start] === 0 || state[start] !== 0) continue;
    const stack: Array<{ node: number; next: number }> = [{ node: start, next: 0 }];
    state[start] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const deps = plan.depsOf(frame.node);
      if (frame.next >= deps.length) {
        state[frame.node] = 2;
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++];
      if (pending[dep] === 0) continue;
      if (state[dep] === 1) {
        const from = stack.findIndex((f) => f.node === dep);
        const cycle = stack.slice(from).map((f) => plan.idOf(f.node));
        // Edges point from an operation to what it depends on; show them in that direction.
        return [...cycle, plan.idOf(dep)];
      }
      if (state[dep] === 0) {
        state[dep] = 1;
        stack.push({ node: dep, next: 0 });
      }
    }
  }
  const left: string[] = [];
  for (let index = 0; index < size; index++) if (pending[index] > 0) left.push(plan.idOf(index));
  return left;
}
