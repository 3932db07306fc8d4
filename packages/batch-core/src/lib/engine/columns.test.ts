import { z } from 'zod';
import { OperationError } from '../errors';
import { defineHandler, OperationRegistry } from '../operations/registry';
import type { OperationResult } from '../operations/types';
import { openTempEngine, type TempEngine } from './__fixtures__/temp-engine';
import type { BatchEngine } from './engine';
import type { BatchEvent } from './events';
import { parseBatch } from './parse-batch';
import { reverseRows } from './plan';
import { FifoQueue } from './ready-queue';

const registry = new OperationRegistry([
  defineHandler({ type: 'echo', params: z.object({ value: z.string().optional() }).default({}), run: (params) => params.value }),
  defineHandler({
    type: 'boom',
    params: z.any(),
    run: () => {
      throw new OperationError('BOOM', 'it broke');
    },
  }),
]);

describe('the plan: one column per field', () => {
  const batch = {
    operations: [
      { id: 'a', type: 'echo' },
      { id: 'b', type: 'echo', dependsOn: ['a', 'a'], timeoutMs: 500, priority: 3 },
      { id: 'c', type: 'echo', dependsOn: ['b', 'a'], retry: { attempts: 2, backoffMs: 1 } },
      { id: 'd', type: 'boom', params: { anything: true } },
    ],
  };

  it('links dependencies as rows (a repeated id counts once) and reverses them in submission order', () => {
    const { plan } = parseBatch(batch, registry);
    expect(Array.from(plan.depsOf(1))).toEqual([0]);
    expect(Array.from(plan.depsOf(2))).toEqual([1, 0]);
    expect(Array.from(plan.dependentsOf(0))).toEqual([1, 2]);
    expect(Array.from(plan.dependentsOf(3))).toEqual([]);
    expect(plan.depCount(2)).toBe(2);
  });

  it('gives each operation as an object on request, the same array on every read', () => {
    const parsed = parseBatch(batch, registry);
    const operations = parsed.operations;
    expect(parsed.operations).toBe(operations);
    expect(operations[1]).toMatchObject({ index: 1, id: 'b', type: 'echo', dependsOn: ['a', 'a'], deps: [0], dependents: [2], timeoutMs: 500, priority: 3 });
    expect(operations[2]).toMatchObject({ id: 'c', retry: { attempts: 2, backoffMs: 1 }, priority: 0 });
    expect(operations[0].timeoutMs).toBeUndefined();
    expect(operations[3].params).toEqual({ anything: true });
    expect(parsed.uniformPriority).toBe(false);
  });

  it('queues a batch without dependencies as a count, not an array of indexes', () => {
    const queue = new FifoQueue(3);
    queue.push(7);
    expect(queue.size).toBe(4);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([0, 1, 2, 7, undefined]);
  });

  it('reverses edge rows', () => {
    // 0 -> 2, 1 -> 2, 1 -> 0, 3 -> 1
    const rows = { offsets: Int32Array.from([0, 1, 3, 3, 4]), targets: Int32Array.from([2, 2, 0, 1]) };
    const reversed = reverseRows(rows, 4);
    expect(Array.from(reversed.offsets)).toEqual([0, 1, 2, 4, 4]);
    expect(Array.from(reversed.targets)).toEqual([1, 3, 0, 1]);
  });
});

describe('results kept in columns until read', () => {
  let temp: TempEngine;
  let engine: BatchEngine;

  beforeEach(async () => {
    temp = await openTempEngine(registry, 'sparc-columns-');
    engine = temp.engine;
  });

  afterEach(() => temp.dispose());

  const batch = {
    operations: [
      { id: 'one', type: 'echo', params: { value: 'first' } },
      { id: 'two', type: 'boom' },
      { id: 'three', type: 'echo', dependsOn: ['two'] },
      { id: 'four', type: 'echo' },
    ],
  };

  it('reads like a plain property: keys, JSON, spread and structuredClone all see the results', async () => {
    const result = await engine.run(batch);
    expect(Object.keys(result)).toEqual(['label', 'status', 'dryRun', 'atomic', 'results', 'metrics']);
    const fromJson = JSON.parse(JSON.stringify(result)) as { results: OperationResult[] };
    expect(fromJson.results.map((r) => [r.id, r.type, r.status])).toEqual([
      ['one', 'echo', 'succeeded'],
      ['two', 'boom', 'failed'],
      ['three', 'echo', 'skipped'],
      ['four', 'echo', 'succeeded'],
    ]);
    expect({ ...result }.results).toEqual(result.results);
    // Where the columns wait is not a property anybody copies.
    expect(Object.getOwnPropertySymbols({ ...result })).toEqual([]);
    expect(structuredClone(result).results).toEqual(result.results);
  });

  it('builds every field of each result, and the same array on every read', async () => {
    const result = await engine.run(batch);
    const results = result.results;
    expect(result.results).toBe(results);
    const [one, two, three, four] = results;
    expect(one).toMatchObject({ id: 'one', status: 'succeeded', output: 'first', attempts: 1 });
    expect(one.error).toBeUndefined();
    expect(two).toMatchObject({ status: 'failed', error: { code: 'BOOM', message: 'it broke' }, attempts: 1 });
    expect(three).toMatchObject({ status: 'skipped', attempts: 0, startMs: 0, durationMs: 0, error: { code: 'DEPENDENCY_FAILED' } });
    expect(four.output).toBeUndefined();
    for (const r of [one, two, four]) {
      expect(r.startMs).toBeGreaterThanOrEqual(0);
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(result.metrics.counts).toEqual({ succeeded: 2, failed: 1, skipped: 1, cancelled: 0, 'timed-out': 0 });
  });

  it('can be replaced by assignment, like any property', async () => {
    const result = await engine.run(batch);
    result.results = [];
    expect(result.results).toEqual([]);
    expect(JSON.parse(JSON.stringify(result)).results).toEqual([]);
  });

  it('hands op:end listeners the same results the batch returns', async () => {
    const ended: OperationResult[] = [];
    const listener = (event: BatchEvent) => {
      if (event.type === 'op:end') ended.push(event.result);
    };
    engine.events.on('op:end', listener);
    try {
      const result = await engine.run(batch);
      const byId = (list: OperationResult[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(ended)).toEqual(byId(result.results));
    } finally {
      engine.events.off('op:end', listener);
    }
  });
});
