import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OperationError, PathOutsideWorkspaceError } from '../../errors';
import { applyEdits, type TextEdit } from '../../workspace/apply-edits';
import type { Workspace } from '../../workspace/workspace';
import type { HandlerContext } from '../types';
import { createContext, createTempWorkspace, runHandler, writeTree, type TempWorkspace } from './__fixtures__/handler-context';
import { fileCopyHandler, fileDeleteHandler, fileMkdirHandler, fileMoveHandler, fileReadHandler, fileWriteHandler } from './file';
import { fileEditHandler } from './file-edit';

let temp: TempWorkspace;
let ctx: HandlerContext;

beforeEach(async () => {
  temp = await createTempWorkspace();
  ctx = createContext(temp.workspace);
});
afterEach(() => temp.cleanup());

const readDisk = (rel: string) => fsp.readFile(path.join(temp.dir, rel), 'utf8');

describe('file handlers', () => {
  it('round-trips a file through write, read, copy, move, mkdir and delete', async () => {
    expect(await runHandler(fileWriteHandler, { path: 'src/./a.txt', content: 'héllo' }, ctx)).toEqual({ path: 'src/a.txt', bytes: 6 });
    expect(await runHandler(fileReadHandler, { path: 'src/a.txt' }, ctx)).toEqual({ path: 'src/a.txt', content: 'héllo', bytes: 6 });

    expect(await runHandler(fileCopyHandler, { from: 'src/a.txt', to: 'copy/b.txt' }, ctx)).toEqual({ from: 'src/a.txt', to: 'copy/b.txt' });
    expect(await readDisk('copy/b.txt')).toBe('héllo');

    expect(await runHandler(fileMoveHandler, { from: 'copy/b.txt', to: 'moved/c.txt' }, ctx)).toEqual({ from: 'copy/b.txt', to: 'moved/c.txt' });
    expect(await temp.workspace.exists('copy/b.txt')).toBe(false);
    expect(await readDisk('moved/c.txt')).toBe('héllo');

    expect(await runHandler(fileMkdirHandler, { path: 'empty/deep' }, ctx)).toEqual({ path: 'empty/deep' });
    expect((await fsp.stat(path.join(temp.dir, 'empty/deep'))).isDirectory()).toBe(true);

    await runHandler(fileDeleteHandler, { path: 'moved', recursive: true }, ctx);
    expect(await temp.workspace.exists('moved')).toBe(false);
  });

  it('reads and writes binary content as base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await runHandler(fileWriteHandler, { path: 'bin.dat', content: bytes.toString('base64'), encoding: 'base64' }, ctx);
    expect(await fsp.readFile(path.join(temp.dir, 'bin.dat'))).toEqual(bytes);
    const read = await runHandler(fileReadHandler, { path: 'bin.dat', encoding: 'base64' }, ctx);
    expect(read).toEqual({ path: 'bin.dat', content: bytes.toString('base64'), bytes: 5 });
  });

  it('refuses to replace an existing file when overwrite is false', async () => {
    await writeTree(temp.dir, { 'a.txt': 'one', 'b.txt': 'two' });
    await expect(runHandler(fileWriteHandler, { path: 'a.txt', content: 'x', overwrite: false }, ctx)).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    await expect(runHandler(fileCopyHandler, { from: 'a.txt', to: 'b.txt' }, ctx)).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    await expect(runHandler(fileMoveHandler, { from: 'a.txt', to: 'b.txt' }, ctx)).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    expect(await readDisk('b.txt')).toBe('two');

    await runHandler(fileMoveHandler, { from: 'a.txt', to: 'b.txt', overwrite: true }, ctx);
    expect(await readDisk('b.txt')).toBe('one');
  });

  it('deletes a missing path only with force', async () => {
    await expect(runHandler(fileDeleteHandler, { path: 'nope.txt' }, ctx)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(runHandler(fileDeleteHandler, { path: 'nope.txt', force: true }, ctx)).resolves.toEqual({ path: 'nope.txt' });
  });

  it('refuses paths that escape the workspace', async () => {
    await expect(runHandler(fileReadHandler, { path: '../outside.txt' }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(runHandler(fileWriteHandler, { path: '/etc/sparc-test', content: 'x' }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(runHandler(fileCopyHandler, { from: 'a', to: 'x/../../b' }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('rejects unknown params fields', () => {
    expect(fileReadHandler.params.safeParse({ path: 'a', encodin: 'utf8' }).success).toBe(false);
  });
});

describe('file.edit', () => {
  it('applies edits in order and counts replacements', async () => {
    await writeTree(temp.dir, { 'src/app.ts': 'const a = 1;\nconst b = a + a;\n' });
    const result = await runHandler(
      fileEditHandler,
      { path: 'src/app.ts', edits: [{ old: 'const a = 1;', new: 'const x = 1;' }, { old: 'a + a', new: 'x + x' }, { old: 'x', new: 'y', all: true }] },
      ctx,
    );
    expect(result).toEqual({ path: 'src/app.ts', replacements: 5 });
    expect(await readDisk('src/app.ts')).toBe('const y = 1;\nconst b = y + y;\n');
  });

  it('fails with EDIT_NOT_FOUND and leaves the file alone when text is missing', async () => {
    await writeTree(temp.dir, { 'a.txt': 'alpha beta' });
    const error = await runHandler(fileEditHandler, { path: 'a.txt', edits: [{ old: 'alpha', new: 'A' }, { old: 'gamma', new: 'G' }] }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'EDIT_NOT_FOUND' });
    expect(await readDisk('a.txt')).toBe('alpha beta');
  });

  it('fails with EDIT_AMBIGUOUS when text occurs twice without all', async () => {
    await writeTree(temp.dir, { 'a.txt': 'x = 1; x = 2;' });
    await expect(runHandler(fileEditHandler, { path: 'a.txt', edits: [{ old: 'x =', new: 'y =' }] }, ctx)).rejects.toMatchObject({ code: 'EDIT_AMBIGUOUS' });
    expect(await readDisk('a.txt')).toBe('x = 1; x = 2;');
  });

  it('requires at least one edit', () => {
    expect(fileEditHandler.params.safeParse({ path: 'a.txt', edits: [] }).success).toBe(false);
  });

  it('hands the edits to a store that applies edits itself', async () => {
    await writeTree(temp.dir, { 'a.txt': 'one two one' });
    const workspace = temp.workspace;
    const received: unknown[] = [];
    // A store with its own editFile (as a transaction has): the handler must delegate to it.
    const editingStore = Object.assign(Object.create(workspace) as Workspace, {
      async editFile(p: string, edits: TextEdit[]) {
        received.push({ p, edits });
        await workspace.writeFile(p, applyEdits(p, (await workspace.readFile(p)).toString('utf8'), edits).toUpperCase());
      },
    });
    const result = await runHandler(fileEditHandler, { path: 'a.txt', edits: [{ old: 'one', new: '1', all: true }] }, { ...ctx, files: editingStore });
    expect(result).toEqual({ path: 'a.txt', replacements: 2 });
    expect(received).toEqual([{ p: 'a.txt', edits: [{ old: 'one', new: '1', all: true }] }]);
    expect(await readDisk('a.txt')).toBe('1 TWO 1');
  });
});
