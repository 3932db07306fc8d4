import { z } from 'zod';
import { defineHandler, OperationRegistry } from '../operations/registry';
import { openTempEngine, type TempEngine } from './__fixtures__/temp-engine';
import type { BatchEngine } from './engine';

describe('ctx.memo: one value per batch run', () => {
  let temp: TempEngine;
  let engine: BatchEngine;
  let computed: string[];

  beforeEach(async () => {
    computed = [];
    const registry = new OperationRegistry([
      defineHandler({
        type: 'lookup',
        params: z.object({ key: z.string() }),
        run: async (params, ctx) => {
          if (!ctx.memo) throw new Error('the engine gives every operation a memo');
          return ctx.memo(params.key, async () => {
            computed.push(params.key);
            return `${params.key}@${computed.length}`;
          });
        },
      }),
    ]);
    temp = await openTempEngine(registry, 'sparc-memo-');
    engine = temp.engine;
  });

  afterEach(() => temp.dispose());

  const batch = {
    operations: [
      { id: 'a1', type: 'lookup', params: { key: 'a' } },
      { id: 'a2', type: 'lookup', params: { key: 'a' } },
      { id: 'b1', type: 'lookup', params: { key: 'b' } },
      { id: 'a3', type: 'lookup', params: { key: 'a' } },
    ],
  };

  it('computes each key once and hands every operation of the batch the same value', async () => {
    const result = await engine.run(batch);
    expect(computed).toEqual(['a', 'b']);
    expect(result.results.map((r) => r.output)).toEqual(['a@1', 'a@1', 'b@2', 'a@1']);
  });

  it('starts empty for the next batch', async () => {
    await engine.run(batch);
    const second = await engine.run(batch);
    expect(computed).toEqual(['a', 'b', 'a', 'b']);
    expect(second.results[0].output).toBe('a@3');
  });
});
