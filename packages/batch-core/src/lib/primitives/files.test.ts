import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OperationError, ValidationError } from '../errors';
import { leftovers, makeTempDir, snapshotTree, writeTree } from '../workspace/__tests__/tree';
import { Workspace } from '../workspace/workspace';
import { createFiles, modifyFiles } from './files';

let root: string;
let workspace: Workspace;

beforeEach(async () => {
  root = await makeTempDir('sparc-files-');
  await writeTree(root, {
    'src/one.ts': 'export const one = 1;\n',
    'src/two.ts': 'export const two = 2;\n',
    'src/three.ts': 'export const three = 3;\n',
  });
  workspace = await Workspace.open(root);
});

afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const read = (rel: string) => fsp.readFile(path.join(root, rel), 'utf8');

describe('createFiles', () => {
  it('creates every file, new folders included, and returns the changes and the diff', async () => {
    const result = await createFiles(workspace, [
      { path: 'gen/a.ts', content: 'export const a = 1;\n' },
      { path: 'gen/deep/b.ts', content: Buffer.from('export const b = 2;\n') },
    ]);
    expect(result.committed).toBe(true);
    expect(result.changes).toEqual([
      { path: 'gen/a.ts', kind: 'create' },
      { path: 'gen/deep/b.ts', kind: 'create' },
    ]);
    expect(result.diff).toBe('--- /dev/null\n+++ b/gen/a.ts\n@@ -0,0 +1,1 @@\n+export const a = 1;\n--- /dev/null\n+++ b/gen/deep/b.ts\n@@ -0,0 +1,1 @@\n+export const b = 2;\n');
    expect(await read('gen/deep/b.ts')).toBe('export const b = 2;\n');
    expect(await leftovers(root)).toEqual([]);
  });

  it('fails with FILE_EXISTS when a file exists with other content, and creates none of the files', async () => {
    const before = await snapshotTree(root);
    const attempt = createFiles(workspace, [
      { path: 'gen/a.ts', content: 'a' },
      { path: 'src/two.ts', content: 'different' },
      { path: 'gen/c.ts', content: 'c' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(OperationError);
    await expect(attempt).rejects.toMatchObject({ code: 'FILE_EXISTS', message: expect.stringContaining('src/two.ts') });
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('accepts a file that already has the same content, as unchanged', async () => {
    const result = await createFiles(workspace, [
      { path: 'src/one.ts', content: 'export const one = 1;\n' },
      { path: 'src/four.ts', content: 'export const four = 4;\n' },
    ]);
    expect(result.changes).toEqual([
      { path: 'src/four.ts', kind: 'create' },
      { path: 'src/one.ts', kind: 'unchanged' },
    ]);
    expect(result.diff).not.toContain('src/one.ts');
  });

  it('replaces existing files with overwrite', async () => {
    const result = await createFiles(workspace, [{ path: 'src/two.ts', content: 'export const two = 22;\n' }], { overwrite: true });
    expect(result.changes).toEqual([{ path: 'src/two.ts', kind: 'update' }]);
    expect(result.diff).toContain('-export const two = 2;\n+export const two = 22;\n');
    expect(await read('src/two.ts')).toBe('export const two = 22;\n');
  });

  it('writes nothing in a dry run but still returns the diff', async () => {
    const before = await snapshotTree(root);
    const result = await createFiles(workspace, [{ path: 'gen/a.ts', content: 'a\n' }], { dryRun: true });
    expect(result).toEqual({ changes: [{ path: 'gen/a.ts', kind: 'create' }], diff: '--- /dev/null\n+++ b/gen/a.ts\n@@ -0,0 +1,1 @@\n+a\n', committed: false });
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('rejects the same file twice, and paths outside the workspace, before writing anything', async () => {
    await expect(createFiles(workspace, [{ path: 'gen/a.ts', content: '1' }, { path: './gen/a.ts', content: '2' }])).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [{ path: 'files.1.path', message: expect.stringContaining('files.0.path') }],
    });
    await expect(createFiles(workspace, [{ path: 'ok.ts', content: '1' }, { path: '../escape.ts', content: '2' }])).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    await expect(createFiles(workspace, [{ path: '', content: '1' }])).rejects.toBeInstanceOf(ValidationError);
    await expect(fsp.access(path.join(root, 'ok.ts'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('modifyFiles', () => {
  it('applies the edits of every file in one commit', async () => {
    const result = await modifyFiles(workspace, [
      { path: 'src/one.ts', edits: [{ old: 'one = 1', new: 'one = 10' }] },
      { path: 'src/two.ts', edits: [{ old: 'two = 2', new: 'two = 20' }] },
    ]);
    expect(result.changes).toEqual([
      { path: 'src/one.ts', kind: 'update' },
      { path: 'src/two.ts', kind: 'update' },
    ]);
    expect(await read('src/one.ts')).toBe('export const one = 10;\n');
    expect(await read('src/two.ts')).toBe('export const two = 20;\n');
  });

  it('leaves files 1 and 2 untouched when an edit of file 3 is not found', async () => {
    const before = await snapshotTree(root);
    const attempt = modifyFiles(workspace, [
      { path: 'src/one.ts', edits: [{ old: 'one = 1', new: 'one = 10' }] },
      { path: 'src/two.ts', edits: [{ old: 'two = 2', new: 'two = 20' }] },
      { path: 'src/three.ts', edits: [{ old: 'three = 3', new: 'three = 30' }, { old: 'not in the file', new: 'x' }] },
    ]);
    await expect(attempt).rejects.toMatchObject({ code: 'EDIT_NOT_FOUND', message: expect.stringContaining('src/three.ts') });
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('applies several entries for the same file in order', async () => {
    await modifyFiles(workspace, [
      { path: 'src/one.ts', edits: [{ old: 'one = 1', new: 'one = 10' }] },
      { path: './src/one.ts', edits: [{ old: 'one = 10', new: 'one = 100' }] },
    ]);
    expect(await read('src/one.ts')).toBe('export const one = 100;\n');
  });

  it('fails on a missing file without changing the others', async () => {
    await expect(
      modifyFiles(workspace, [
        { path: 'src/one.ts', edits: [{ old: 'one', new: 'uno' }] },
        { path: 'src/missing.ts', edits: [{ old: 'a', new: 'b' }] },
      ]),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await read('src/one.ts')).toBe('export const one = 1;\n');
  });

  it('writes nothing in a dry run but returns the diff', async () => {
    const result = await modifyFiles(workspace, [{ path: 'src/one.ts', edits: [{ old: 'one = 1', new: 'one = 10' }] }], { dryRun: true });
    expect(result.committed).toBe(false);
    expect(result.diff).toBe('--- a/src/one.ts\n+++ b/src/one.ts\n@@ -1,1 +1,1 @@\n-export const one = 1;\n+export const one = 10;\n');
    expect(await read('src/one.ts')).toBe('export const one = 1;\n');
  });

  it('rejects malformed changes with the field named', async () => {
    await expect(modifyFiles(workspace, [{ path: 'src/one.ts', edits: [] }])).rejects.toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: 'changes.0.edits' }] });
  });
});
