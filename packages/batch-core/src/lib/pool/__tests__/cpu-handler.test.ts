import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TimeoutError } from '../../errors';
import type { HandlerContext } from '../../operations/types';
import { Workspace } from '../../workspace/workspace';
import { cpuHandler } from '../cpu-handler';
import type { WorkerPool } from '../types';
import { poolTracker, rejectionOf } from './pool-fixtures';

const pools = poolTracker();
let base: string;
let workspace: Workspace;
let pool: WorkerPool;

async function write(file: string, content: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, content);
}

beforeEach(async () => {
  // base/ws is the workspace; base itself is outside it.
  base = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'cpu-handler-')));
  const root = path.join(base, 'ws');
  await write(path.join(root, 'tasks', 'hash.js'), `'use strict';
const { createHash } = require('node:crypto');
exports.sha256 = (text) => createHash('sha256').update(text).digest('hex');
exports.default = (items) => items.length;
`);
  await write(path.join(root, 'tasks', 'spin.js'), `'use strict';
module.exports = ({ ms }) => { const end = Date.now() + ms; while (Date.now() < end); return 'done'; };
`);
  await write(path.join(root, 'node_modules', 'local-pkg', 'package.json'), JSON.stringify({ name: 'local-pkg', main: 'lib/main.js' }));
  await write(path.join(root, 'node_modules', 'local-pkg', 'lib', 'main.js'), `exports.upper = (s) => s.toUpperCase();\n`);
  await write(path.join(base, 'outside.js'), `module.exports = () => 'escaped';\n`);
  await write(path.join(base, 'node_modules', 'hoisted', 'index.js'), `module.exports = () => 'hoisted';\n`);
  await fsp.symlink(path.join(base, 'outside.js'), path.join(root, 'tasks', 'link.js'));
  workspace = await Workspace.open(root, { recover: false });
  pool = pools.create();
});

afterEach(async () => {
  await pools.destroyAll();
  await fsp.rm(base, { recursive: true, force: true });
});

function context(signal: AbortSignal = new AbortController().signal): HandlerContext {
  return { opId: 'op-1', attempt: 1, signal, workspace, files: workspace, pool: () => pool };
}

function run(params: unknown, signal?: AbortSignal): Promise<unknown> {
  return Promise.resolve(cpuHandler.run(cpuHandler.params.parse(params), context(signal)));
}

describe('the cpu operation', () => {
  it('runs a named export of a workspace module in the pool', async () => {
    const output = await run({ module: './tasks/hash.js', export: 'sha256', payload: 'hello' });
    expect(output).toBe(createHash('sha256').update('hello').digest('hex'));
    expect(pool.stats().completed).toBe(1);
  });

  it('calls the default export when none is named, and resolves a path without extension', async () => {
    await expect(run({ module: './tasks/hash', payload: [1, 2, 3] })).resolves.toBe(3);
  });

  it('runs a package installed inside the workspace', async () => {
    await expect(run({ module: 'local-pkg', export: 'upper', payload: 'abc' })).resolves.toBe('ABC');
  });

  it('accepts an absolute path inside the workspace', async () => {
    await expect(run({ module: path.join(workspace.root, 'tasks', 'hash.js'), export: 'sha256', payload: '' })).resolves.toBe(createHash('sha256').digest('hex'));
  });

  it.each([
    ['a relative path that climbs out', '../outside.js'],
    ['an absolute path elsewhere', () => path.join(base, 'outside.js')],
    ['a symlink that leads outside', './tasks/link.js'],
    ['a package found above the workspace', 'hoisted'],
    ['a built-in module', 'node:child_process'],
  ])('refuses %s with PATH_OUTSIDE_WORKSPACE', async (_label, module) => {
    const error = await rejectionOf(run({ module: typeof module === 'function' ? module() : module }));
    expect(error.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(pool.stats()).toMatchObject({ completed: 0, failed: 0 });
  });

  it('reports a module that cannot be found as CPU_MODULE_NOT_FOUND', async () => {
    expect((await rejectionOf(run({ module: './tasks/missing.js' }))).code).toBe('CPU_MODULE_NOT_FOUND');
    expect((await rejectionOf(run({ module: 'no-such-package' }))).code).toBe('CPU_MODULE_NOT_FOUND');
  });

  it('aborts the worker task with the operation signal\'s reason', async () => {
    const controller = new AbortController();
    const running = run({ module: './tasks/spin.js', payload: { ms: 120_000 } }, controller.signal);
    const reason = new TimeoutError(100);
    controller.abort(reason);

    expect(await rejectionOf(running)).toBe(reason);
    await expect(run({ module: './tasks/hash.js', export: 'sha256', payload: 'next' })).resolves.toHaveLength(64);
  });

  it('validates its params strictly', () => {
    expect(cpuHandler.params.safeParse({ module: '' }).success).toBe(false);
    expect(cpuHandler.params.safeParse({ module: './a.js', exportName: 'x' }).success).toBe(false);
    expect(cpuHandler.params.safeParse({ module: './a.js', export: 'x', payload: { any: ['thing'] } }).success).toBe(true);
  });

  it('uses module and export as its circuit breaker target', () => {
    expect(cpuHandler.type).toBe('cpu');
    expect(cpuHandler.target?.({ module: './tasks/hash.js', export: 'sha256' })).toBe('cpu:./tasks/hash.js#sha256');
    expect(cpuHandler.target?.({ module: 'local-pkg' })).toBe('cpu:local-pkg#default');
    expect(cpuHandler.describe?.({ module: 'local-pkg', export: 'upper' })).toBe('run local-pkg#upper in the worker pool');
  });
});
