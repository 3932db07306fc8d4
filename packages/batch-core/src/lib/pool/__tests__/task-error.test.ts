import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OperationError, isRetryable, toErrorInfo } from '../../errors';
import { CpuTaskError } from '../errors';
import { fixture, poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
let tempDir: string | undefined;
afterEach(async () => {
  await pools.destroyAll();
  if (tempDir) await fsp.rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

const THROWS = fixture('throws.js');
const COMPUTE = fixture('compute.js');

describe('errors thrown by the task function', () => {
  it('come back as CPU_TASK_FAILED with the original message, name and code', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: THROWS, exportName: 'typeError', payload: 'x' }));

    expect(error).toBeInstanceOf(CpuTaskError);
    expect(error).toBeInstanceOf(OperationError);
    expect(error.code).toBe('CPU_TASK_FAILED');
    expect(error.message).toBe('bad input: x');
    expect(error.details).toEqual({ name: 'TypeError', code: 'E_BAD_INPUT', module: THROWS, export: 'typeError' });
    const cause = error.cause as Error & { code?: string };
    expect(cause.name).toBe('TypeError');
    expect(cause.code).toBe('E_BAD_INPUT');
    expect(cause.stack).toContain('throws.js');
    expect(toErrorInfo(error)).toMatchObject({ code: 'CPU_TASK_FAILED', message: 'bad input: x' });
    expect(isRetryable(error)).toBe(false);
  });

  it('include rejections of async task functions', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: THROWS, exportName: 'rejects', payload: 11 }));

    expect(error.code).toBe('CPU_TASK_FAILED');
    expect(error.message).toBe('out of range: 11');
    expect((error as CpuTaskError).remote.name).toBe('RangeError');
  });

  it('describe a thrown non-error value', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: THROWS, exportName: 'throwsString' }));

    expect(error.code).toBe('CPU_TASK_FAILED');
    expect(error.message).toBe('task threw a non-error value: "plain string"');
  });

  it('do not cost the thread: the same thread runs the next task', async () => {
    const pool = pools.create({ maxThreads: 1 });
    const before = await pool.run<number>({ module: COMPUTE, exportName: 'threadId' });
    await rejectionOf(pool.run({ module: THROWS, exportName: 'typeError', payload: 1 }));
    await expect(pool.run({ module: COMPUTE, exportName: 'threadId' })).resolves.toBe(before);
  });
});

describe('tasks that cannot be run', () => {
  it('name the missing export and list the function exports there are', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: COMPUTE, exportName: 'nope' }));

    expect(error.code).toBe('CPU_EXPORT_NOT_FOUND');
    expect(error.message).toContain('has no function export "nope"');
    expect(error.message).toContain('fib, threadId, echo, doubleAll');
  });

  it('refuse an export that is not a function', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: COMPUTE, exportName: 'notAFunction' }));
    expect(error.code).toBe('CPU_EXPORT_NOT_FOUND');
  });

  it('report a module that does not exist as CPU_MODULE_LOAD_FAILED', async () => {
    const pool = pools.create();
    const missing = fixture('does-not-exist.js');
    const error = await rejectionOf(pool.run({ module: missing }));

    expect(error.code).toBe('CPU_MODULE_LOAD_FAILED');
    expect(error.message).toContain(missing);
    expect(error.details).toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });

  it('report a module with a syntax error, and load it once it is fixed', async () => {
    tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pool-task-error-'));
    const file = path.join(tempDir, 'task.js');
    await fsp.writeFile(file, 'module.exports = function ( {\n');
    const pool = pools.create({ maxThreads: 1 });

    const error = await rejectionOf(pool.run({ module: file }));
    expect(error.code).toBe('CPU_MODULE_LOAD_FAILED');
    expect((error as CpuTaskError).remote.name).toBe('SyntaxError');

    await fsp.writeFile(file, 'module.exports = (n) => n + 1;\n');
    await expect(pool.run({ module: file, payload: 41 })).resolves.toBe(42);
  });

  it('refuse a function as a result with CPU_RESULT_NOT_CLONEABLE', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: THROWS, exportName: 'returnsFunction' }));
    expect(error.code).toBe('CPU_RESULT_NOT_CLONEABLE');
    expect(error.message).toContain('returned a function');
  });

  it('refuse a payload that cannot be cloned with CPU_PAYLOAD_NOT_CLONEABLE', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: COMPUTE, exportName: 'echo', payload: { fn: () => 1 } }));
    expect(error.code).toBe('CPU_PAYLOAD_NOT_CLONEABLE');
    await expect(pool.run({ module: COMPUTE, exportName: 'echo', payload: [1, 2] })).resolves.toEqual([1, 2]);
  });

  it('reject a task without a module as a validation error', async () => {
    const pool = pools.create();
    const error = await rejectionOf(pool.run({ module: '' }));
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('"module"');
  });
});
