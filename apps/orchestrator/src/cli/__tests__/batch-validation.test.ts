import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, runCli, writeBatch } from './run-cli';

describe('sparc batch: invalid input', () => {
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ root, ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

describe('exits 2 before anything runs', () => {
  const write = { id: 'w', type: 'file.write', params: { path: 'should-not-exist.txt', content: 'x' } };

  async function expectRejected(batch: unknown, ...fragments: string[]) {
    const file = await writeBatch(root, 'batch.json', batch);
    const run = runCli(['batch', file, '--dir', ws, '--json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    for (const fragment of fragments) expect(run.stderr).toContain(fragment);
    expect(await fsp.readdir(ws).then((names) => names.includes('should-not-exist.txt'))).toBe(false);
    return run.stderr;
  }

  it('bad JSON, with line and column', async () => {
    await expectRejected('{\n  "operations": [\n    {"id": "a",}\n  ]\n}', 'invalid JSON in', 'line 3, column 16');
  });

  it('an operation without a type', async () => {
    await expectRejected({ operations: [write, { id: 'typeless', params: {} }] }, 'typeless', 'type');
  });

  it('an unknown operation type', async () => {
    await expectRejected({ operations: [write, { id: 'x', type: 'file.rede', params: { path: 'a' } }] }, 'file.rede');
  });

  it('an unknown dependency, naming both ids', async () => {
    await expectRejected({ operations: [write, { id: 'reader', type: 'file.read', dependsOn: ['ghost'], params: { path: 'a' } }] }, '"reader"', '"ghost"');
  });

  it('a dependency cycle, spelled out', async () => {
    await expectRejected(
      {
        operations: [
          write,
          { id: 'a', type: 'file.read', dependsOn: ['b'], params: { path: 'x' } },
          { id: 'b', type: 'file.read', dependsOn: ['a'], params: { path: 'x' } },
        ],
      },
      'cycle',
    ).then((stderr) => expect(stderr).toMatch(/a -> b -> a|b -> a -> b/));
  });

  it('a negative concurrency in the file', async () => {
    await expectRejected({ operations: [write], concurrency: -2 }, 'concurrency');
  });

  it('a negative --concurrency flag', async () => {
    const file = await writeBatch(root, 'batch.json', { operations: [write] });
    const run = runCli(['batch', file, '--dir', ws, '--concurrency', '-1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--concurrency must be a positive integer (got "-1")');
  });

  it('a file that does not exist, and a workspace that does not exist', async () => {
    const missing = runCli(['batch', path.join(root, 'nope.json'), '--dir', ws]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const file = await writeBatch(root, 'batch.json', { operations: [write] });
    const noWorkspace = runCli(['batch', file, '--dir', path.join(root, 'missing-ws')]);
    expect(noWorkspace.status).toBe(2);
    expect(noWorkspace.stderr).toContain('does not exist');
  });
});
});
