import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessLive } from '../operations/handlers/process-groups';
import { Workspace } from '../workspace/workspace';
import { BatchEngine } from './engine';

/** The engine with the built-in handlers, on a real temp workspace. */
let parent: string;
let root: string;
let engine: BatchEngine;

beforeEach(async () => {
  parent = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-engine-builtin-'));
  root = path.join(parent, 'ws');
  await fsp.mkdir(root);
  await fsp.writeFile(path.join(root, 'keep.txt'), 'original\n');
  engine = new BatchEngine({ workspace: await Workspace.open(root) });
});

afterEach(async () => {
  await engine.close();
  await fsp.rm(parent, { recursive: true, force: true });
});

const read = (rel: string) => fsp.readFile(path.join(root, rel), 'utf8');
const exists = (abs: string) => fsp.access(abs).then(() => true, () => false);

it('writes, edits and reads files in dependency order, and read output carries the content', async () => {
  const result = await engine.run({
    operations: [
      { id: 'mk', type: 'file.mkdir', params: { path: 'src' } },
      { id: 'w', type: 'file.write', params: { path: 'src/a.ts', content: 'export const a = 1;\n' }, dependsOn: ['mk'] },
      { id: 'e', type: 'file.edit', params: { path: 'src/a.ts', edits: [{ old: '= 1', new: '= 2' }] }, dependsOn: ['w'] },
      { id: 'r', type: 'file.read', params: { path: 'src/a.ts' }, dependsOn: ['e'] },
      { id: 'g', type: 'search.glob', params: { patterns: ['**/*.ts'] }, dependsOn: ['w'] },
    ],
  });
  expect(result.status).toBe('succeeded');
  const r = Object.fromEntries(result.results.map((x) => [x.id, x]));
  expect(r.r.output).toMatchObject({ content: 'export const a = 2;\n' });
  expect(r.g.output).toMatchObject({ files: ['src/a.ts'] });
});

it('fails an operation whose path leaves the workspace, skips its dependents and writes nothing outside', async () => {
  const result = await engine.run({
    operations: [
      { id: 'escape', type: 'file.write', params: { path: '../escape.txt', content: 'x' } },
      { id: 'abs', type: 'file.write', params: { path: path.join(parent, 'abs.txt'), content: 'x' } },
      { id: 'after', type: 'file.write', params: { path: 'after.txt', content: 'x' }, dependsOn: ['escape'] },
      { id: 'fine', type: 'file.write', params: { path: 'fine.txt', content: 'ok' } },
    ],
  });
  const r = Object.fromEntries(result.results.map((x) => [x.id, x]));
  expect(r.escape).toMatchObject({ status: 'failed', error: { code: 'PATH_OUTSIDE_WORKSPACE' } });
  expect(r.abs).toMatchObject({ status: 'failed', error: { code: 'PATH_OUTSIDE_WORKSPACE' } });
  expect(r.after.status).toBe('skipped');
  expect(r.fine.status).toBe('succeeded');
  expect(await fsp.readdir(parent)).toEqual(['ws']);
  expect(await exists(path.join(root, 'after.txt'))).toBe(false);
});

it('an atomic batch with one failing operation writes nothing', async () => {
  const result = await engine.run({
    atomic: true,
    operations: [
      { id: 'a', type: 'file.write', params: { path: 'new/a.txt', content: 'A' } },
      { id: 'b', type: 'file.edit', params: { path: 'keep.txt', edits: [{ old: 'original', new: 'changed' }] } },
      { id: 'c', type: 'file.edit', params: { path: 'keep.txt', edits: [{ old: 'not there', new: 'x' }] }, dependsOn: ['b'] },
    ],
  });
  expect(result.status).toBe('failed');
  expect(result.committed).toBe(false);
  expect(result.results.find((x) => x.id === 'c')?.error?.code).toBe('EDIT_NOT_FOUND');
  expect(await read('keep.txt')).toBe('original\n');
  expect(await exists(path.join(root, 'new'))).toBe(false);
});

it('an atomic batch that succeeds commits every change at once, and reads see staged writes', async () => {
  const result = await engine.run({
    atomic: true,
    operations: [
      { id: 'a', type: 'file.write', params: { path: 'new/a.txt', content: 'A' } },
      { id: 'ra', type: 'file.read', params: { path: 'new/a.txt' }, dependsOn: ['a'] },
      { id: 'b', type: 'file.edit', params: { path: 'keep.txt', edits: [{ old: 'original', new: 'changed' }] } },
    ],
  });
  expect(result.status).toBe('succeeded');
  expect(result.committed).toBe(true);
  expect(result.results.find((x) => x.id === 'ra')?.output).toMatchObject({ content: 'A' });
  expect(await read('new/a.txt')).toBe('A');
  expect(await read('keep.txt')).toBe('changed\n');
});

it('a dry run shows the diff and writes nothing', async () => {
  const result = await engine.run(
    { operations: [{ id: 'b', type: 'file.edit', params: { path: 'keep.txt', edits: [{ old: 'original', new: 'changed' }] } }, { id: 'x', type: 'exec', params: { command: 'touch', args: ['ran'] } }] },
    { dryRun: true },
  );
  expect(result.diff).toContain('-original');
  expect(result.diff).toContain('+changed');
  expect(result.results.find((x) => x.id === 'x')).toMatchObject({ status: 'skipped', error: { code: 'DRY_RUN' } });
  expect(await read('keep.txt')).toBe('original\n');
  expect(await exists(path.join(root, 'ran'))).toBe(false);
});

it('a timed-out exec in a batch leaves no process behind', async () => {
  const result = await engine.run({
    operations: [{ id: 'sleepy', type: 'exec', params: { command: 'sh', args: ['-c', 'sleep 30 & echo $! > bg.pid; echo $$ > sh.pid; wait'], killGraceMs: 200 }, timeoutMs: 500 }],
  });
  expect(result.results[0]).toMatchObject({ status: 'timed-out', error: { code: 'TIMEOUT' } });
  for (const file of ['bg.pid', 'sh.pid']) {
    const pid = Number((await read(file)).trim());
    expect(pid).toBeGreaterThan(0);
    expect(isProcessLive(pid)).toBe(false);
  }
});

it('records the run in .sparc/metrics.jsonl', async () => {
  await engine.run({ label: 'recorded', operations: [{ id: 'w', type: 'file.write', params: { path: 'x.txt', content: 'x' } }] });
  const lines = (await read('.sparc/metrics.jsonl')).trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({ label: 'recorded', operations: 1 });
});
