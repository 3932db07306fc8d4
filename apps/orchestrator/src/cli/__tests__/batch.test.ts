import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isProcessLive } from '@sparc/batch-core';
import { makeWorkspace, runCli, startCli, waitForFile, writeBatch } from './run-cli';

interface JsonResult {
  status: string;
  dryRun: boolean;
  diff?: string;
  results: Array<{ id: string; type: string; status: string; output?: Record<string, unknown>; error?: { code: string; message: string }; attempts: number; durationMs: number }>;
  metrics: { operations: number; concurrency: number; peakInFlight: number; counts: Record<string, number> };
}

function byId(result: JsonResult, id: string) {
  const found = result.results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

describe('sparc batch', () => {
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ root, ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  const fileOps = [
    { id: 'write', type: 'file.write', params: { path: 'notes/a.txt', content: 'hello NAME\n' } },
    { id: 'edit', type: 'file.edit', dependsOn: ['write'], params: { path: 'notes/a.txt', edits: [{ old: 'NAME', new: 'world' }] } },
    { id: 'read', type: 'file.read', dependsOn: ['edit'], params: { path: 'notes/a.txt' } },
    { id: 'glob', type: 'search.glob', dependsOn: ['write'], params: { patterns: '**/*.txt' } },
  ];

  it('runs write, edit, read and glob and prints the result as one JSON document', async () => {
    const file = await writeBatch(root, 'batch.json', { operations: fileOps });
    const run = runCli(['batch', file, '--dir', ws, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.status).toBe('succeeded');
    expect(result.results.map((r) => r.id)).toEqual(['write', 'edit', 'read', 'glob']);
    expect(byId(result, 'read').output?.content).toBe('hello world\n');
    expect(JSON.stringify(byId(result, 'glob').output)).toContain('notes/a.txt');
    expect(result.metrics.operations).toBe(4);
    expect(await fsp.readFile(path.join(ws, 'notes', 'a.txt'), 'utf8')).toBe('hello world\n');
  });

  it('prints a table and a summary without --json', async () => {
    const file = await writeBatch(root, 'batch.json', { operations: fileOps, label: 'table' });
    const run = runCli(['batch', file, '--dir', ws]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^✔ +write +file\.write /);
    expect(lines[4]).toContain('batch "table" succeeded: 4 operations (4 succeeded)');
    expect(lines[4]).toContain('speed-up');
  });

  it('exits 1 when an operation fails and skips its dependents, naming the failed dependency', async () => {
    const file = await writeBatch(root, 'batch.json', {
      operations: [
        { id: 'write', type: 'file.write', params: { path: 'a.txt', content: 'abc' } },
        { id: 'bad-edit', type: 'file.edit', dependsOn: ['write'], params: { path: 'a.txt', edits: [{ old: 'not there', new: 'x' }] } },
        { id: 'after', type: 'file.read', dependsOn: ['bad-edit'], params: { path: 'a.txt' } },
        { id: 'independent', type: 'file.write', params: { path: 'b.txt', content: 'b' } },
      ],
    });
    const run = runCli(['batch', file, '--dir', ws, '--json']);
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.status).toBe('partial');
    expect(byId(result, 'bad-edit').status).toBe('failed');
    expect(byId(result, 'bad-edit').error?.code).toBeTruthy();
    expect(byId(result, 'after').status).toBe('skipped');
    expect(byId(result, 'after').error?.message).toContain('bad-edit');
    expect(byId(result, 'independent').status).toBe('succeeded');

    const human = runCli(['batch', file, '--dir', ws]);
    expect(human.status).toBe(1);
    expect(human.stdout).toMatch(/^✖ +bad-edit/m);
    expect(human.stdout).toMatch(/^○ +after/m);
    expect(human.stdout).toContain('1 failed, 1 skipped');
  });

  it('fails operations whose path leaves the workspace, and writes nothing outside it', async () => {
    const absolute = path.join(root, 'absolute-escape.txt');
    const file = await writeBatch(root, 'batch.json', {
      operations: [
        { id: 'relative', type: 'file.write', params: { path: '../escape.txt', content: 'x' } },
        { id: 'absolute', type: 'file.write', params: { path: absolute, content: 'x' } },
        { id: 'inside', type: 'file.write', params: { path: 'ok.txt', content: 'ok' } },
      ],
    });
    const run = runCli(['batch', file, '--dir', ws, '--json']);
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(byId(result, 'relative').error?.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(byId(result, 'absolute').error?.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(byId(result, 'inside').status).toBe('succeeded');
    expect((await fsp.readdir(root)).sort()).toEqual(['batch.json', 'ws']);
    expect((await fsp.readdir(path.dirname(root))).includes('escape.txt')).toBe(false);
  });

  it('changes nothing on --dry-run and shows the diff of an atomic batch', async () => {
    await fsp.writeFile(path.join(ws, 'keep.txt'), 'one\ntwo\n');
    const file = await writeBatch(root, 'batch.json', {
      atomic: true,
      operations: [
        { id: 'new', type: 'file.write', params: { path: 'new.txt', content: 'fresh\n' } },
        { id: 'change', type: 'file.edit', params: { path: 'keep.txt', edits: [{ old: 'two', new: 'TWO' }] } },
      ],
    });
    const json = runCli(['batch', file, '--dir', ws, '--dry-run', '--json']);
    expect(json.status).toBe(0);
    const result = JSON.parse(json.stdout) as JsonResult;
    expect(result.dryRun).toBe(true);
    expect(result.diff).toContain('+TWO');

    const human = runCli(['batch', file, '--dir', ws, '--dry-run']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('dry run (atomic): 2 operations, nothing was changed');
    expect(human.stdout).toMatch(/new +file\.write +write new\.txt/);
    expect(human.stdout).toContain('-two');

    expect((await fsp.readdir(ws)).filter((name) => name !== '.sparc')).toEqual(['keep.txt']);
    expect(await fsp.readFile(path.join(ws, 'keep.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('reads the batch from stdin with "-"', () => {
    const run = runCli(['batch', '-', '--dir', ws, '--json'], { input: JSON.stringify({ operations: [{ id: 'w', type: 'file.write', params: { path: 'in.txt', content: 'from stdin' } }] }) });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as JsonResult).results[0].status).toBe('succeeded');
  });

  it('runs one operation at a time with --sequential', async () => {
    const ops = Array.from({ length: 6 }, (_, i) => ({ id: `w${i}`, type: 'file.write', params: { path: `f${i}.txt`, content: String(i) } }));
    const file = await writeBatch(root, 'batch.json', { operations: ops, concurrency: 6 });
    const run = runCli(['batch', file, '--dir', ws, '--json', '--sequential']);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.metrics.concurrency).toBe(1);
    expect(result.metrics.peakInFlight).toBe(1);
  });

  it('cancels the running batch on SIGINT and exits 1', async () => {
    const file = await writeBatch(root, 'batch.json', {
      operations: [
        { id: 'long', type: 'exec', params: { command: 'sh', args: ['-c', 'sleep 30 & echo $! > sleep.pid; touch started; wait'] } },
        { id: 'after', type: 'file.write', dependsOn: ['long'], params: { path: 'after.txt', content: 'x' } },
      ],
    });
    const { child, done } = startCli(['batch', file, '--dir', ws, '--json']);
    await waitForFile(path.join(ws, 'started'));
    child.kill('SIGINT');
    const run = await done;
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cancelling');
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(byId(result, 'long')).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(byId(result, 'after').status).toBe('cancelled');
    expect(await fsp.readdir(ws).then((names) => names.includes('after.txt'))).toBe(false);
    // The batch's process group went with it: no orphan keeps sleeping.
    const sleeper = Number((await fsp.readFile(path.join(ws, 'sleep.pid'), 'utf8')).trim());
    expect(sleeper).toBeGreaterThan(0);
    expect(isProcessLive(sleeper)).toBe(false);
  });
});
