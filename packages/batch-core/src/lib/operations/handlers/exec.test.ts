import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, OperationError, PathOutsideWorkspaceError, TimeoutError } from '../../errors';
import type { HandlerContext } from '../types';
import { createContext, createTempWorkspace, runHandler, type TempWorkspace } from './__fixtures__/handler-context';
import { execHandler } from './exec';
import { isProcessLive, trackedGroupCount } from './process-groups';

let temp: TempWorkspace;
let ctx: HandlerContext;

beforeEach(async () => {
  temp = await createTempWorkspace();
  ctx = createContext(temp.workspace);
});
afterEach(() => temp.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the file exists with content (the script under test writes it). */
async function readWhenWritten(file: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const text = await fsp.readFile(file, 'utf8').catch(() => '');
    if (text.trim() !== '') return text.trim();
    await sleep(20);
  }
  throw new Error(`${file} was never written`);
}

const isGone = (pid: number): boolean => !isProcessLive(pid);

/** For processes killed by someone else: SIGKILL is delivered asynchronously. */
async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 250 && !isGone(pid); i++) await sleep(20);
  return isGone(pid);
}

describe('exec', () => {
  it('runs a command without a shell and returns its output', async () => {
    const result = await runHandler(execHandler, { command: 'printf', args: ['%s|', 'a b', '$HOME', '*'] }, ctx);
    expect(result).toEqual({ exitCode: 0, signal: null, stdout: 'a b|$HOME|*|', stderr: '', truncated: false });
  });

  it('uses the cwd, env and stdin it is given', async () => {
    await fsp.mkdir(path.join(temp.dir, 'sub'));
    const result = await runHandler(execHandler, { command: 'sh', args: ['-c', 'pwd; echo "$SPARC_TEST_VAR"; cat'], cwd: 'sub', env: { SPARC_TEST_VAR: 'from-env' }, input: 'from-stdin' }, ctx);
    expect(result.stdout).toBe(`${path.join(temp.dir, 'sub')}\nfrom-env\nfrom-stdin`);
  });

  it('runs through the shell only when asked', async () => {
    const result = await runHandler(execHandler, { command: 'echo $((1 + 2)) && echo done >&2', shell: true }, ctx);
    expect(result.stdout).toBe('3\n');
    expect(result.stderr).toBe('done\n');
  });

  it('fails with EXEC_FAILED carrying the exit code and stderr on an unexpected exit code', async () => {
    const error = await runHandler(execHandler, { command: 'sh', args: ['-c', 'echo starting; echo boom >&2; exit 3'] }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'EXEC_FAILED', details: { exitCode: 3, signal: null, stderrTail: 'boom\n' } });

    const expected = await runHandler(execHandler, { command: 'sh', args: ['-c', 'exit 3'], expectExitCode: 3 }, ctx);
    expect(expected.exitCode).toBe(3);
  });

  it('fails with EXEC_NOT_FOUND for a missing program', async () => {
    await expect(runHandler(execHandler, { command: 'sparc-no-such-program-here' }, ctx)).rejects.toMatchObject({ code: 'EXEC_NOT_FOUND' });
    expect(trackedGroupCount()).toBe(0);
  });

  it('keeps cwd inside the workspace', async () => {
    await expect(runHandler(execHandler, { command: 'pwd', cwd: '..' }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(runHandler(execHandler, { command: 'pwd', cwd: 'missing' }, ctx)).rejects.toMatchObject({ code: 'EXEC_BAD_CWD' });
  });

  it('keeps the head and tail of output beyond maxOutputBytes and marks it truncated', async () => {
    const script = "process.stdout.write('HEAD' + 'x'.repeat(200000) + 'TAIL')";
    const result = await runHandler(execHandler, { command: process.execPath, args: ['-e', script], maxOutputBytes: 1000 }, ctx);
    expect(result.truncated).toBe(true);
    expect(result.stdout.startsWith('HEADxxx')).toBe(true);
    expect(result.stdout.endsWith('xxxTAIL')).toBe(true);
    expect(result.stdout).toContain('[... 199008 bytes truncated ...]');
    expect(result.stdout.length).toBeLessThan(1100);
  });

  it('names its circuit-breaker target after the command', () => {
    expect(execHandler.target?.(execHandler.params.parse({ command: 'npm', args: ['test'] }))).toBe('exec:npm');
  });

  it('kills the whole process group when aborted, and rejects with the reason once it is gone', async () => {
    const controller = new AbortController();
    const script = 'echo $$ > leader.pid; sleep 30 & echo $! > child.pid; sleep 30';
    const running = runHandler(execHandler, { command: 'sh', args: ['-c', script] }, createContext(temp.workspace, controller.signal));
    const leader = Number(await readWhenWritten(path.join(temp.dir, 'leader.pid')));
    const grandchild = Number(await readWhenWritten(path.join(temp.dir, 'child.pid')));
    expect(isGone(leader)).toBe(false);
    expect(isGone(grandchild)).toBe(false);

    const reason = new TimeoutError(50);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(isGone(leader)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
    expect(trackedGroupCount()).toBe(0);
  });

  it('SIGKILLs a group that ignores SIGTERM after the grace period', async () => {
    const controller = new AbortController();
    const script = "trap '' TERM; echo $$ > leader.pid; sleep 30 & echo $! > child.pid; wait";
    const running = runHandler(execHandler, { command: 'sh', args: ['-c', script], killGraceMs: 200 }, createContext(temp.workspace, controller.signal));
    const leader = Number(await readWhenWritten(path.join(temp.dir, 'leader.pid')));
    const grandchild = Number(await readWhenWritten(path.join(temp.dir, 'child.pid')));

    const reason = new CancelledError('batch cancelled');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(isGone(leader)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(runHandler(execHandler, { command: 'sh', args: ['-c', 'touch ran'] }, createContext(temp.workspace, controller.signal))).rejects.toBe(reason);
    expect(await temp.workspace.exists('ran')).toBe(false);
  });
});

const PACKAGE_ROOT = path.resolve(__dirname, '../../../..');

describe('exec when the parent process ends', () => {
  const fixture = path.join(__dirname, '__fixtures__', 'exec-parent.ts');
  const script = 'echo $$ > leader.pid; sleep 30 & echo $! > child.pid; touch ready; sleep 30';

  function startParent(mode: 'exit' | 'wait') {
    // From the package folder: ts-node reads the tsconfig of the folder it starts in, and the root's does not compile this file.
    const parent = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', fixture, temp.dir, mode, script], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => parent.once('exit', (code, signal) => resolve({ code, signal })));
    const ready = new Promise<void>((resolve) => parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
    return { parent, ended, ready };
  }

  async function childPids(): Promise<number[]> {
    return [Number(await readWhenWritten(path.join(temp.dir, 'leader.pid'))), Number(await readWhenWritten(path.join(temp.dir, 'child.pid')))];
  }

  it('kills running groups when the parent exits', async () => {
    const { ended, ready } = startParent('exit');
    await ready;
    expect(await ended).toEqual({ code: 0, signal: null });
    for (const pid of await childPids()) expect(await goneSoon(pid)).toBe(true);
  });

  it('kills running groups when the parent dies of SIGTERM, then dies of it too', async () => {
    const { parent, ended, ready } = startParent('wait');
    await ready;
    const pids = await childPids();
    for (const pid of pids) expect(isGone(pid)).toBe(false);
    parent.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    for (const pid of pids) expect(await goneSoon(pid)).toBe(true);
  });
});
