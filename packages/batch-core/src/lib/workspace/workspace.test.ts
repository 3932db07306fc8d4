import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PathOutsideWorkspaceError } from '../errors';
import { makeTempDir, snapshotTree, writeTree } from './__tests__/tree';
import type { FileStore } from './file-store';
import { Workspace } from './workspace';

let base: string;
let root: string;
let outside: string;
let workspace: Workspace;

beforeEach(async () => {
  base = await makeTempDir('sparc-ws-');
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await writeTree(base, {
    'outside/secret.txt': 'secret\n',
    'outside/dir/inner.txt': 'inner\n',
    'root/src/a.ts': 'export const a = 1;\n',
  });
  await fsp.symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-file'));
  await fsp.symlink(outside, path.join(root, 'link-dir'));
  await fsp.symlink(path.join(root, 'src'), path.join(root, 'inside-link'));
  workspace = await Workspace.open(root);
});

afterEach(async () => {
  await fsp.rm(base, { recursive: true, force: true });
});

/** Ways out of the root, each with the reason it must be refused. */
const ESCAPES: [string, () => string][] = [
  ['a ".." escape', () => '../outside/secret.txt'],
  ['a ".." escape behind a folder', () => 'src/../../outside/new.txt'],
  ['an absolute path outside', () => path.join(outside, 'secret.txt')],
  ['a NUL byte', () => 'src/a.ts\0.txt'],
  ['a symlinked file pointing outside', () => 'link-file'],
  ['a file under a symlinked folder pointing outside', () => 'link-dir/secret.txt'],
  ['a new path under a symlinked folder pointing outside', () => 'link-dir/made/up.txt'],
];

/** Every FileStore call, with the escaping path in each position it can take. */
const CALLS: [string, (store: FileStore, p: string) => Promise<unknown>][] = [
  ['readFile', (store, p) => store.readFile(p)],
  ['writeFile', (store, p) => store.writeFile(p, 'pwned')],
  ['deletePath', (store, p) => store.deletePath(p, { recursive: true, force: true })],
  ['movePath from', (store, p) => store.movePath(p, 'src/moved.txt', { overwrite: true })],
  ['movePath to', (store, p) => store.movePath('src/a.ts', p, { overwrite: true })],
  ['copyPath from', (store, p) => store.copyPath(p, 'src/copied.txt', { overwrite: true })],
  ['copyPath to', (store, p) => store.copyPath('src/a.ts', p, { overwrite: true })],
  ['mkdir', (store, p) => store.mkdir(p)],
  ['exists', (store, p) => store.exists(p)],
];

const CASES = ESCAPES.flatMap(([escape, target]) => CALLS.map(([call, run]) => ({ escape, target, call, run })));

describe('path confinement', () => {
  it.each(CASES)('refuses $escape in $call, on the workspace and in a transaction, writing nothing outside', async ({ target, run }) => {
    const outsideBefore = await snapshotTree(outside);
    const insideBefore = await snapshotTree(root);

    const direct = run(workspace, target());
    await expect(direct).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(direct).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });

    const txn = workspace.transaction();
    await expect(run(txn, target())).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    expect(txn.changes()).toEqual([]);
    await txn.commit();

    expect(await snapshotTree(outside)).toEqual(outsideBefore);
    expect(await snapshotTree(root)).toEqual(insideBefore);
  });

  it('refuses to delete the root itself', async () => {
    await expect(workspace.deletePath('.', { recursive: true })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    await expect(workspace.transaction().deletePath('', { recursive: true })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    expect(await fsp.readFile(path.join(root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('allows symlinks that stay inside the root', async () => {
    expect((await workspace.readFile('inside-link/a.ts')).toString()).toBe('export const a = 1;\n');
    await workspace.writeFile('inside-link/b.ts', 'b');
    expect(await fsp.readFile(path.join(root, 'src/b.ts'), 'utf8')).toBe('b');
  });

  it('accepts absolute paths inside the root and reports them relative to it', async () => {
    const abs = workspace.resolve(path.join(root, 'src', 'a.ts'));
    expect(workspace.relative(abs)).toBe('src/a.ts');
    expect(await workspace.exists(path.join(root, 'src', 'a.ts'))).toBe(true);
  });

  it('opens a root given through a symlink at its real path', async () => {
    const alias = path.join(base, 'alias');
    await fsp.symlink(root, alias);
    const opened = await Workspace.open(alias);
    expect(opened.root).toBe(root);
    await expect(opened.readFile('../outside/secret.txt')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
  });

  it('refuses a root that does not exist', async () => {
    await expect(Workspace.open(path.join(base, 'missing'))).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
  });
});
