import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { CancelledError, OperationError } from '../errors';
import { defineHandler, OperationRegistry } from '../operations/registry';
import type { BatchResult, OperationResult } from '../operations/types';
import { Workspace } from '../workspace/workspace';
import { BatchEngine } from './engine';
import type { BatchEvent } from './events';

/** Test handlers: real timers and real failures, recorded in a shared log. */
function createTestRegistry(log: string[], gauge = { now: 0, peak: 0 }) {
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    });
  const attemptsSeen = new Map<string, number>();
  return new OperationRegistry([
    defineHandler({
      type: 'sleep',
      params: z.object({ ms: z.number().default(5), name: z.string().optional() }),
      async run(params, ctx) {
        gauge.now++;
        gauge.peak = Math.max(gauge.peak, gauge.now);
        log.push(`start:${ctx.opId}`);
        try {
          await sleep(params.ms, ctx.signal);
          log.push(`end:${ctx.opId}`);
          return { slept: params.ms };
        } finally {
          gauge.now--;
        }
      },
    }),
    defineHandler({
      type: 'fail',
      params: z.object({ retryable: z.boolean().default(false), succeedOnAttempt: z.number().optional(), target: z.string().optional() }),
      target: (params) => params.target,
      run(params, ctx) {
        attemptsSeen.set(ctx.opId, ctx.attempt);
        log.push(`fail:${ctx.opId}:${ctx.attempt}`);
        if (params.succeedOnAttempt !== undefined && ctx.attempt >= params.succeedOnAttempt) return 'recovered';
        throw new OperationError('BOOM', `boom in ${ctx.opId}`, { retryable: params.retryable });
      },
    }),
    defineHandler({
      type: 'ok',
      params: z.object({ target: z.string().optional() }).default({}),
      target: (params) => params.target,
      run: (_params, ctx) => {
        log.push(`ok:${ctx.opId}`);
        return ctx.opId;
      },
    }),
    defineHandler({
      type: 'stubborn',
      params: z.object({ ms: z.number() }),
      // Ignores its signal on purpose: the engine must give up on it.
      run: (params) => new Promise((resolve) => setTimeout(() => resolve('late'), params.ms)),
    }),
    defineHandler({ type: 'mutate', params: z.any(), mutatesFiles: true, run: () => 'mutated' }),
    defineHandler({ type: 'disk', params: z.any(), needsDisk: true, run: () => 'disk' }),
    defineHandler({ type: 'peek', params: z.any(), readOnly: true, run: () => 'peeked' }),
  ]);
}

let dir: string;
let workspace: Workspace;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-engine-'));
  workspace = await Workspace.open(dir, { recover: false });
});

afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function engineWith(log: string[], extra: Partial<ConstructorParameters<typeof BatchEngine>[0]> = {}, gauge?: { now: number; peak: number }) {
  return new BatchEngine({ workspace, registry: createTestRegistry(log, gauge), monitor: false, ...extra });
}

const byId = (result: BatchResult): Record<string, OperationResult> => Object.fromEntries(result.results.map((r) => [r.id, r]));

describe('dependency order', () => {
  it('starts an operation only after everything it depends on finished', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    const result = await engine.run({
      concurrency: 4,
      operations: [
        { id: 'd', type: 'sleep', params: { ms: 1 }, dependsOn: ['b', 'c'] },
        { id: 'b', type: 'sleep', params: { ms: 15 }, dependsOn: ['a'] },
        { id: 'c', type: 'sleep', params: { ms: 1 }, dependsOn: ['a'] },
        { id: 'a', type: 'sleep', params: { ms: 5 } },
      ],
    });
    expect(result.status).toBe('succeeded');
    const at = (entry: string) => log.indexOf(entry);
    expect(at('end:a')).toBeLessThan(at('start:b'));
    expect(at('end:a')).toBeLessThan(at('start:c'));
    expect(at('end:b')).toBeLessThan(at('start:d'));
    expect(at('end:c')).toBeLessThan(at('start:d'));
    // Results come back in submission order whatever the execution order.
    expect(result.results.map((r) => r.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('starts ready operations by priority, then submission order', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    await engine.run({
      concurrency: 1,
      operations: [
        { id: 'low', type: 'ok', priority: -1 },
        { id: 'first', type: 'ok' },
        { id: 'high', type: 'ok', priority: 5 },
        { id: 'second', type: 'ok' },
      ],
    });
    expect(log).toEqual(['ok:high', 'ok:first', 'ok:second', 'ok:low']);
  });
});

describe('concurrency', () => {
  it('never has more operations in flight than the limit', async () => {
    const log: string[] = [];
    const gauge = { now: 0, peak: 0 };
    const engine = engineWith(log, {}, gauge);
    const operations = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, type: 'sleep', params: { ms: 3 } }));
    const result = await engine.run({ concurrency: 3, operations });
    expect(gauge.peak).toBe(3);
    expect(result.metrics.peakInFlight).toBe(3);
    expect(result.metrics.counts.succeeded).toBe(20);
  });

  it('caps an operation type below the batch limit', async () => {
    const log: string[] = [];
    const gauge = { now: 0, peak: 0 };
    const engine = engineWith(log, { perTypeConcurrency: { sleep: 2 } }, gauge);
    const operations = [
      ...Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, type: 'sleep', params: { ms: 3 } })),
      ...Array.from({ length: 4 }, (_, i) => ({ id: `o${i}`, type: 'ok' })),
    ];
    const result = await engine.run({ concurrency: 6, operations });
    expect(gauge.peak).toBe(2);
    expect(result.metrics.counts.succeeded).toBe(12);
  });

  it('runs with --sequential semantics when concurrency is overridden to 1', async () => {
    const gauge = { now: 0, peak: 0 };
    const engine = engineWith([], {}, gauge);
    const operations = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, type: 'sleep', params: { ms: 2 } }));
    const result = await engine.run({ concurrency: 6, operations }, { concurrency: 1 });
    expect(gauge.peak).toBe(1);
    expect(result.metrics.concurrency).toBe(1);
  });
});

describe('failure isolation', () => {
  it('skips the dependents of a failed operation, naming it, and runs independent branches', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    const result = await engine.run({
      operations: [
        { id: 'bad', type: 'fail' },
        { id: 'child', type: 'ok', dependsOn: ['bad'] },
        { id: 'grandchild', type: 'ok', dependsOn: ['child'] },
        { id: 'other', type: 'sleep', params: { ms: 5 } },
        { id: 'after-other', type: 'ok', dependsOn: ['other'] },
      ],
    });
    const r = byId(result);
    expect(r.bad.status).toBe('failed');
    expect(r.bad.error).toEqual({ code: 'BOOM', message: 'boom in bad' });
    expect(r.child.status).toBe('skipped');
    expect(r.child.error?.message).toContain('"bad" failed');
    expect(r.grandchild.status).toBe('skipped');
    expect(r.grandchild.error?.message).toContain('"child"');
    expect(r.other.status).toBe('succeeded');
    expect(r['after-other'].status).toBe('succeeded');
    expect(result.status).toBe('partial');
    expect(log).not.toContain('ok:child');
  });

  it('failFast cancels operations in flight and those not started', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    const result = await engine.run({
      failFast: true,
      concurrency: 2,
      operations: [
        { id: 'long', type: 'sleep', params: { ms: 20_000 } },
        { id: 'bad', type: 'fail', dependsOn: ['tick'] },
        { id: 'tick', type: 'sleep', params: { ms: 5 } },
        { id: 'later', type: 'sleep', params: { ms: 1 }, dependsOn: ['tick'] },
      ],
    });
    const r = byId(result);
    expect(r.bad.status).toBe('failed');
    expect(r.long.status).toBe('cancelled');
    expect(r.long.error?.code).toBe('CANCELLED');
    expect(r.long.error?.message).toContain('"bad"');
    expect(r.later.status).toBe('cancelled');
    expect(r.later.attempts).toBe(0);
    expect(log).not.toContain('end:long');
    expect(result.status).toBe('partial');
  });

  it('turns a synchronous throw into a failed result', async () => {
    const engine = engineWith([]);
    const result = await engine.run({ operations: [{ id: 'x', type: 'fail' }] });
    expect(result.results[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'BOOM' } });
    expect(result.status).toBe('failed');
  });
});

describe('timeouts', () => {
  it('aborts the handler and reports timed-out', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    const result = await engine.run({ operations: [{ id: 't', type: 'sleep', params: { ms: 20_000 }, timeoutMs: 30 }, { id: 'dep', type: 'ok', dependsOn: ['t'] }] });
    const r = byId(result);
    expect(r.t.status).toBe('timed-out');
    expect(r.t.error?.code).toBe('TIMEOUT');
    expect(r.dep.status).toBe('skipped');
    expect(log).not.toContain('end:t');
  });

  it('gives up on a handler that ignores its signal', async () => {
    const engine = engineWith([], { abandonAfterMs: 20 });
    const result = await engine.run({ operations: [{ id: 'slow', type: 'stubborn', params: { ms: 3_000 }, timeoutMs: 20 }] });
    expect(result.results[0].status).toBe('timed-out');
  });

  it('a batch timeout stops what runs and cancels what waits', async () => {
    const engine = engineWith([]);
    const result = await engine.run({
      timeoutMs: 40,
      concurrency: 1,
      operations: [
        { id: 'a', type: 'sleep', params: { ms: 20_000 } },
        { id: 'b', type: 'ok' },
      ],
    });
    const r = byId(result);
    expect(r.a.status).toBe('timed-out');
    expect(r.b.status).toBe('cancelled');
    expect(r.b.error?.code).toBe('TIMEOUT');
  });

  it('the caller can cancel a running batch with its signal', async () => {
    const engine = engineWith([]);
    const controller = new AbortController();
    const running = engine.run({ operations: [{ id: 'a', type: 'sleep', params: { ms: 20_000 } }, { id: 'b', type: 'ok', dependsOn: ['a'] }] }, { signal: controller.signal });
    setTimeout(() => controller.abort(new CancelledError('user pressed ctrl-c')), 20);
    const result = await running;
    expect(byId(result).a).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED', message: 'user pressed ctrl-c' } });
    expect(byId(result).b.status).toBe('cancelled');
  });
});

describe('retries', () => {
  it('retries retryable errors and counts the attempts', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    const events: BatchEvent[] = [];
    engine.events.on('op:retry', (e: BatchEvent) => events.push(e));
    const result = await engine.run({
      operations: [
        { id: 'flaky', type: 'fail', params: { retryable: true, succeedOnAttempt: 3 }, retry: { attempts: 5, backoffMs: 1 } },
        { id: 'hopeless', type: 'fail', params: { retryable: true }, retry: { attempts: 3, backoffMs: 1 } },
      ],
    });
    const r = byId(result);
    expect(r.flaky).toMatchObject({ status: 'succeeded', attempts: 3, output: 'recovered' });
    expect(r.hopeless).toMatchObject({ status: 'failed', attempts: 3 });
    expect(events.filter((e) => e.type === 'op:retry' && e.id === 'flaky')).toHaveLength(2);
  });

  it('does not retry an error that retrying cannot fix', async () => {
    const log: string[] = [];
    const engine = engineWith(log);
    const result = await engine.run({ operations: [{ id: 'x', type: 'fail', params: { retryable: false }, retry: { attempts: 5, backoffMs: 1 } }] });
    expect(result.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(log.filter((l) => l.startsWith('fail:x'))).toHaveLength(1);
  });

  it('retries an attempt that timed out', async () => {
    const engine = engineWith([]);
    const result = await engine.run({ operations: [{ id: 't', type: 'sleep', params: { ms: 20_000 }, timeoutMs: 10, retry: { attempts: 2, backoffMs: 1 } }] });
    expect(result.results[0]).toMatchObject({ status: 'timed-out', attempts: 2 });
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures of a target and half-opens after the cool-down', async () => {
    const log: string[] = [];
    const engine = engineWith(log, { breaker: { failureThreshold: 2, cooldownMs: 60 } });
    const first = await engine.run({
      concurrency: 1,
      operations: [
        { id: 'f1', type: 'fail', params: { target: 'svc' } },
        { id: 'f2', type: 'fail', params: { target: 'svc' } },
        { id: 'blocked', type: 'ok', params: { target: 'svc' } },
        { id: 'elsewhere', type: 'ok', params: { target: 'other' } },
      ],
    });
    const r = byId(first);
    expect(r.blocked.status).toBe('failed');
    expect(r.blocked.error?.code).toBe('CIRCUIT_OPEN');
    expect(r.elsewhere.status).toBe('succeeded');
    expect(log).not.toContain('ok:blocked');
    expect(engine.breakers?.states().svc).toBe('open');

    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(engine.breakers?.states().svc).toBe('half-open');
    const second = await engine.run({ operations: [{ id: 'trial', type: 'ok', params: { target: 'svc' } }] });
    expect(second.results[0].status).toBe('succeeded');
    expect(engine.breakers?.states().svc).toBe('closed');
  });
});

describe('validation', () => {
  const engine = () => engineWith([]);

  it('spells out a dependency cycle', async () => {
    await expect(engine().run({ operations: [{ id: 'a', type: 'ok', dependsOn: ['b'] }, { id: 'b', type: 'ok', dependsOn: ['a'] }] })).rejects.toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: expect.stringMatching(/a -> b -> a|b -> a -> b/),
    });
    await expect(engine().run({ operations: [{ id: 'self', type: 'ok', dependsOn: ['self'] }] })).rejects.toMatchObject({ code: 'DEPENDENCY_CYCLE', message: 'dependency cycle: self -> self' });
  });

  it('finds a long cycle behind acyclic parts', async () => {
    const operations = [
      { id: 'root', type: 'ok' },
      { id: 'x', type: 'ok', dependsOn: ['root', 'z'] },
      { id: 'y', type: 'ok', dependsOn: ['x'] },
      { id: 'z', type: 'ok', dependsOn: ['y'] },
      { id: 'leaf', type: 'ok', dependsOn: ['z'] },
    ];
    const error = (await engine().run({ operations }).then(
      () => ({ cycle: [] }),
      (e: unknown) => e,
    )) as { cycle: string[] };
    expect(new Set(error.cycle)).toEqual(new Set(['x', 'y', 'z']));
    expect(error.cycle[0]).toBe(error.cycle[error.cycle.length - 1]);
  });

  it('names both ids of an unknown dependency', async () => {
    await expect(engine().run({ operations: [{ id: 'a', type: 'ok', dependsOn: ['ghost'] }] })).rejects.toMatchObject({
      code: 'UNKNOWN_DEPENDENCY',
      message: 'operation "a" depends on unknown operation "ghost"',
    });
  });

  it('names the operation and field of a schema error', async () => {
    await expect(engine().run({ operations: [{ id: 'ok1', type: 'ok' }, { id: 'nap', type: 'sleep', params: { ms: 'long' } }] })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('operation "nap" (operations[1], sleep): params.ms'),
      issues: [expect.objectContaining({ path: 'operations[1].params.ms' })],
    });
    await expect(engine().run({ operations: [{ id: 'a', type: 'ok', dependson: ['b'] }] })).rejects.toMatchObject({ message: expect.stringContaining('unknown field(s) "dependson"') });
    await expect(engine().run({ operations: [{ type: 'ok' }] })).rejects.toMatchObject({ message: expect.stringContaining('operations[0]: id') });
    await expect(engine().run({ operations: [], concurency: 2 })).rejects.toMatchObject({ message: expect.stringContaining('"concurency"') });
    await expect(engine().run({ operations: [], concurrency: 0 })).rejects.toMatchObject({ message: expect.stringContaining('concurrency') });
  });

  it('rejects unknown types and duplicate ids', async () => {
    await expect(engine().run({ operations: [{ id: 'a', type: 'teleport' }] })).rejects.toMatchObject({ code: 'UNKNOWN_OPERATION_TYPE', message: expect.stringContaining('"teleport"') });
    await expect(engine().run({ operations: [{ id: 'a', type: 'ok' }, { id: 'a', type: 'ok' }] })).rejects.toMatchObject({ code: 'DUPLICATE_OPERATION_ID' });
  });

  it('runs nothing when any operation is invalid', async () => {
    const log: string[] = [];
    await expect(engineWith(log).run({ operations: [{ id: 'a', type: 'ok' }, { id: 'b', type: 'sleep', params: { ms: -'x' } }, { id: 'c', type: 'nope' }] })).rejects.toThrow();
    expect(log).toEqual([]);
  });

  it('refuses an atomic batch where a disk-bound operation waits on a staged write', async () => {
    await expect(engine().run({ atomic: true, operations: [{ id: 'w', type: 'mutate' }, { id: 'x', type: 'disk', dependsOn: ['w'] }] })).rejects.toMatchObject({ code: 'ATOMIC_DEPENDENCY' });
  });
});

describe('events', () => {
  it('emits start, per-operation and end events, also as an async iterator', async () => {
    const engine = engineWith([]);
    const seen: string[] = [];
    for await (const event of engine.stream({ operations: [{ id: 'a', type: 'ok' }, { id: 'b', type: 'sleep', params: { ms: 2 }, dependsOn: ['a'] }] })) {
      seen.push(event.type === 'op:start' || event.type === 'op:retry' ? `${event.type}:${event.id}` : event.type === 'op:end' ? `op:end:${event.result.id}` : event.type);
      if (event.type === 'batch:end') expect(event.result.status).toBe('succeeded');
    }
    expect(seen).toEqual(['batch:start', 'op:start:a', 'op:end:a', 'op:start:b', 'op:end:b', 'batch:end']);
  });

  it('the iterator throws the validation error of a bad batch', async () => {
    const engine = engineWith([]);
    const consume = async () => {
      for await (const _event of engine.stream({ operations: [{ id: 'a', type: 'ok', dependsOn: ['zz'] }] })) {
        // nothing is emitted before validation fails
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'UNKNOWN_DEPENDENCY' });
  });
});

describe('dry run', () => {
  it('runs read-only and staged file operations, and nothing else', async () => {
    const engine = engineWith([]);
    const result = await engine.run({ operations: [{ id: 'm', type: 'mutate' }, { id: 'p', type: 'peek' }, { id: 'd', type: 'disk', dependsOn: ['p'] }] }, { dryRun: true });
    const r = byId(result);
    expect(r.m.status).toBe('succeeded');
    expect(r.p.status).toBe('succeeded');
    expect(r.d).toMatchObject({ status: 'skipped', error: { code: 'DRY_RUN' } });
    expect(result.dryRun).toBe(true);
    expect(result.status).toBe('succeeded');
    expect(typeof result.diff).toBe('string');
  });
});

describe('metrics', () => {
  it('measures wall time, op time and counts of the run', async () => {
    const engine = engineWith([]);
    const result = await engine.run({ label: 'm', operations: [{ id: 'a', type: 'sleep', params: { ms: 10 } }, { id: 'b', type: 'fail' }] });
    expect(result.metrics).toMatchObject({ label: 'm', operations: 2, concurrency: 6, successRate: 0.5, counts: { succeeded: 1, failed: 1, skipped: 0, cancelled: 0, 'timed-out': 0 } });
    expect(result.metrics.wallMs).toBeGreaterThan(0);
    expect(result.metrics.sumOpMs).toBeGreaterThan(0);
    expect(result.metrics.rssBytes).toBeGreaterThan(0);
  });

  it('an empty batch succeeds', async () => {
    const result = await engineWith([]).run({ operations: [] });
    expect(result.status).toBe('succeeded');
    expect(result.results).toEqual([]);
  });
});

describe('cancellation by the caller', () => {
  it('a plain abort() cancels the operations', async () => {
    const engine = engineWith([]);
    const controller = new AbortController();
    const running = engine.run({ operations: [{ id: 'a', type: 'sleep', params: { ms: 20_000 } }] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const result = await running;
    expect(result.results[0]).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
  });

  it('describes a batch that is not an object', async () => {
    await expect(engineWith([]).run([1, 2])).rejects.toMatchObject({ message: expect.stringContaining('a batch is an object') });
  });
});
