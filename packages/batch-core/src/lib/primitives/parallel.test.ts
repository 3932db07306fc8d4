import { CancelledError, OperationError, ValidationError } from '../errors';
import { batchProcess } from './batch-process';
import { forEach, parallel, parallelSettled } from './parallel';
import { pipeline } from './pipeline';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('parallel', () => {
  it('returns values in input order under the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 12 }, (_, i) => async () => {
      running++;
      peak = Math.max(peak, running);
      await tick(12 - i);
      running--;
      return i * 2;
    });
    const values = await parallel(tasks, { concurrency: 4 });
    expect(values).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
    expect(peak).toBe(4);
  });

  it('accepts synchronous tasks', async () => {
    expect(await parallel([() => 1, () => 2, () => 3])).toEqual([1, 2, 3]);
  });

  it('rejects with the first failure itself and cancels the rest', async () => {
    const boom = new Error('first failure');
    let cancelledSeen = 0;
    const tasks = [
      async (signal: AbortSignal) => {
        await new Promise((resolve, reject) => {
          const t = setTimeout(resolve, 20_000);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            cancelledSeen++;
            reject(signal.reason);
          });
        });
      },
      async () => {
        await tick(5);
        throw boom;
      },
      () => 'never started',
    ];
    await expect(parallel<unknown>(tasks, { concurrency: 2 })).rejects.toBe(boom);
    expect(cancelledSeen).toBe(1);
  });

  it('parallelSettled reports every outcome and retries retryable failures', async () => {
    let calls = 0;
    const settled = await parallelSettled(
      [
        () => 'fine',
        () => {
          calls++;
          if (calls < 3) throw new OperationError('FLAKY', 'try again', { retryable: true });
          return 'third time';
        },
        () => {
          throw new ValidationError('bad input');
        },
      ],
      { retry: { attempts: 4, backoffMs: 1 } },
    );
    expect(settled[0]).toMatchObject({ status: 'succeeded', value: 'fine', attempts: 1 });
    expect(settled[1]).toMatchObject({ status: 'succeeded', value: 'third time', attempts: 3 });
    expect(settled[2]).toMatchObject({ status: 'failed', attempts: 1, info: { code: 'VALIDATION_ERROR' } });
    expect((settled[2] as { error: unknown }).error).toBeInstanceOf(ValidationError);
  });

  it('aborts a task at its timeout', async () => {
    const settled = await parallelSettled([(signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))], { timeoutMs: 20 });
    expect(settled[0]).toMatchObject({ status: 'timed-out', info: { code: 'TIMEOUT' } });
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError('stop')), 10);
    const settled = await parallelSettled(
      Array.from({ length: 4 }, () => (signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))),
      { concurrency: 2, signal: controller.signal },
    );
    expect(settled.map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('refuses a bad concurrency and non-function tasks', async () => {
    await expect(parallel([() => 1], { concurrency: 0 })).rejects.toThrow('concurrency must be a whole number ≥ 1 (got 0)');
    await expect(parallel([42 as unknown as () => number])).rejects.toThrow('tasks[0] must be a function');
  });
});

describe('forEach', () => {
  it('calls the function with each item and its index', async () => {
    expect(await forEach(['a', 'b', 'c'], (item, index) => `${index}:${item}`)).toEqual(['0:a', '1:b', '2:c']);
  });
});

describe('batchProcess', () => {
  it('processes an async iterable in batches without collecting results', async () => {
    async function* source() {
      for (let i = 0; i < 2_500; i++) yield i;
    }
    let sum = 0;
    const summary = await batchProcess(source(), async (n) => n, { batchSize: 1_000, concurrency: 8, onResult: (o) => (sum += o.value as number) });
    expect(summary).toMatchObject({ processed: 2_500, succeeded: 2_500, failed: 0, batches: 3, stoppedEarly: false });
    expect(sum).toBe((2_499 * 2_500) / 2);
  });

  it('keeps going past failures and reports them with their index', async () => {
    const summary = await batchProcess([1, 2, 3, 4, 5, 6], (n) => {
      if (n % 3 === 0) throw new Error(`no ${n}`);
      return n;
    }, { batchSize: 4 });
    expect(summary.failed).toBe(2);
    expect(summary.errors.map((e) => e.index)).toEqual([2, 5]);
  });

  it('stops pulling from the source after a failure with failFast', async () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 1_000; i++) {
        pulled++;
        yield i;
      }
    }
    const summary = await batchProcess(source(), (n) => {
      if (n === 3) throw new Error('three');
      return n;
    }, { batchSize: 10, failFast: true });
    expect(summary.stoppedEarly).toBe(true);
    expect(pulled).toBeLessThanOrEqual(20);
  });

  it('refuses something that is not iterable', async () => {
    await expect(batchProcess(42 as unknown as number[], (n) => n)).rejects.toThrow('items must be an iterable');
  });
});

describe('pipeline', () => {
  it('runs stages in order, passing outputs on, parallel or sequential inside', async () => {
    const order: string[] = [];
    const results = await pipeline([
      { name: 'fetch', tasks: [async () => (order.push('f1'), 1), async () => (order.push('f2'), 2)] },
      {
        name: 'sum',
        mode: 'sequential',
        tasks: [
          async (input: number[]) => {
            await tick(5);
            order.push('s1');
            return input.reduce((a, b) => a + b, 0);
          },
          async (input: number[]) => (order.push('s2'), input.length),
        ],
      },
    ]);
    expect(results.map((r) => [r.name, r.mode, r.outputs])).toEqual([
      ['fetch', 'parallel', [1, 2]],
      ['sum', 'sequential', [3, 2]],
    ]);
    expect(order.indexOf('s1')).toBeLessThan(order.indexOf('s2'));
    expect(order.indexOf('f2')).toBeLessThan(order.indexOf('s1'));
  });

  it('stops at a failing stage', async () => {
    let ranLast = false;
    await expect(
      pipeline([
        { name: 'a', tasks: [() => { throw new Error('stage a broke'); }] },
        { name: 'b', tasks: [() => { ranLast = true; }] },
      ]),
    ).rejects.toThrow('stage a broke');
    expect(ranLast).toBe(false);
  });

  it('names a bad stage', async () => {
    await expect(pipeline([{ name: 'x', tasks: [] }, { name: 'x', tasks: [] }])).rejects.toThrow('stage name "x" is used twice');
    await expect(pipeline([{ name: 'x', mode: 'sideways' as 'parallel', tasks: [] }])).rejects.toThrow('stages[0].mode');
  });
});
