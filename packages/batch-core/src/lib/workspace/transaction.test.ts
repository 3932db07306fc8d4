import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ConflictError, OperationError, PathOutsideWorkspaceError } from '../errors';
import { leftovers, makeTempDir, snapshotTree, writeTree } from './__tests__/tree';
import { CommitError, TransactionClosedError } from './transaction-errors';
import { Workspace } from './workspace';

let root: string;
let workspace: Workspace;

beforeEach(async () => {
  root = await makeTempDir('sparc-txn-');
  await writeTree(root, {
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 1;\n',
    'docs/readme.md': '# readme\n',
    'old/x.txt': 'x\n',
    'old/sub/y.txt': 'y\n',
    'old/empty/': '',
  });
  workspace = await Workspace.open(root);
});

afterEach(async () => {
  await fsp.chmod(root, 0o755).catch(() => undefined);
  await fsp.rm(root, { recursive: true, force: true });
});

const read = (rel: string) => fsp.readFile(path.join(root, rel), 'utf8');

describe('staged reads', () => {
  it('reads staged content while the disk keeps the original until commit', async () => {
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'export const a = 2;\n');
    await txn.writeFile('src/new/c.ts', 'c');
    expect((await txn.readFile('src/a.ts')).toString()).toBe('export const a = 2;\n');
    expect((await txn.readFile('src/new/c.ts')).toString()).toBe('c');
    expect(await txn.exists('src/new')).toBe(true);
    expect(await read('src/a.ts')).toBe('export const a = 1;\n');
    await expect(fsp.access(path.join(root, 'src/new'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('makes a staged delete read as missing', async () => {
    const txn = workspace.transaction();
    await txn.deletePath('src/a.ts');
    await expect(txn.readFile('src/a.ts')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await txn.exists('src/a.ts')).toBe(false);
    await expect(txn.deletePath('src/a.ts')).rejects.toMatchObject({ code: 'ENOENT' });
    await txn.deletePath('src/a.ts', { force: true });
    expect(await read('src/a.ts')).toBe('export const a = 1;\n');
  });

  it('makes a staged move leave the old path missing and the new one present', async () => {
    const txn = workspace.transaction();
    await txn.movePath('src/b.ts', 'lib/b.ts');
    await expect(txn.readFile('src/b.ts')).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await txn.readFile('lib/b.ts')).toString()).toBe('export const b = 1;\n');
    await expect(txn.movePath('src/a.ts', 'lib/b.ts')).rejects.toMatchObject({ code: 'EEXIST' });
    await txn.copyPath('src/a.ts', 'src/a-copy.ts');
    expect((await txn.readFile('src/a-copy.ts')).toString()).toBe('export const a = 1;\n');
    expect(txn.changes()).toEqual([
      { path: 'lib/b.ts', kind: 'create' },
      { path: 'src/a-copy.ts', kind: 'create' },
      { path: 'src/b.ts', kind: 'delete' },
    ]);
  });

  it('moves a whole folder, empty sub-folders included', async () => {
    const txn = workspace.transaction();
    await txn.movePath('old', 'archive/old');
    expect(await txn.exists('old')).toBe(false);
    expect((await txn.readFile('archive/old/sub/y.txt')).toString()).toBe('y\n');
    expect(await txn.exists('archive/old/empty')).toBe(true);
    await txn.commit();
    const tree = await snapshotTree(root);
    expect(Object.keys(tree).filter((p) => p.startsWith('old') || p.startsWith('archive'))).toEqual([
      'archive/',
      'archive/old/',
      'archive/old/empty/',
      'archive/old/sub/',
      'archive/old/sub/y.txt',
      'archive/old/x.txt',
    ]);
  });

  it('returns copies, so changing a returned buffer does not change what is staged', async () => {
    const txn = workspace.transaction();
    const data = Buffer.from('abc');
    await txn.writeFile('f.txt', data);
    data[0] = 0x7a;
    const first = await txn.readFile('f.txt');
    first[1] = 0x7a;
    expect((await txn.readFile('f.txt')).toString()).toBe('abc');
  });

  it('refuses a folder delete without recursive, and stages one with it', async () => {
    const txn = workspace.transaction();
    await expect(txn.deletePath('old')).rejects.toMatchObject({ code: 'EISDIR' });
    await txn.deletePath('old', { recursive: true });
    expect(await txn.exists('old/sub/y.txt')).toBe(false);
    expect(await txn.exists('old')).toBe(false);
    expect(txn.changes()).toEqual([
      { path: 'old', kind: 'rmdir' },
      { path: 'old/empty', kind: 'rmdir' },
      { path: 'old/sub', kind: 'rmdir' },
      { path: 'old/sub/y.txt', kind: 'delete' },
      { path: 'old/x.txt', kind: 'delete' },
    ]);
    await txn.commit();
    await expect(fsp.access(path.join(root, 'old'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('edits', () => {
  it('stages all edits of a call or none of them', async () => {
    const txn = workspace.transaction();
    const result = await txn.editFile('src/a.ts', [{ old: 'a = 1', new: 'a = 2' }]);
    expect(result).toEqual({ path: 'src/a.ts', replacements: 1 });
    await expect(txn.editFile('src/a.ts', [{ old: 'export', new: 'exported' }, { old: 'missing text', new: '' }])).rejects.toMatchObject({
      code: 'EDIT_NOT_FOUND',
      message: expect.stringContaining('src/a.ts'),
    });
    expect((await txn.readFile('src/a.ts')).toString()).toBe('export const a = 2;\n');
    await txn.writeFile('dup.ts', 'x x\n');
    const ambiguous = txn.editFile('dup.ts', [{ old: 'x', new: 'y' }]);
    await expect(ambiguous).rejects.toBeInstanceOf(OperationError);
    await expect(ambiguous).rejects.toMatchObject({ code: 'EDIT_AMBIGUOUS' });
    expect(await txn.editFile('dup.ts', [{ old: 'x', new: 'y', all: true }])).toEqual({ path: 'dup.ts', replacements: 2 });
  });
});

describe('changes and diff', () => {
  it('lists creates, updates and deletes, and treats identical writes as no change', async () => {
    const inode = (await fsp.stat(path.join(root, 'src/b.ts'))).ino;
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'export const a = 2;\n');
    await txn.writeFile('src/b.ts', 'export const b = 1;\n');
    await txn.writeFile('src/c.ts', 'export const c = 1;\n');
    await txn.deletePath('docs/readme.md');
    expect(txn.changes()).toEqual([
      { path: 'docs/readme.md', kind: 'delete' },
      { path: 'src/a.ts', kind: 'update' },
      { path: 'src/b.ts', kind: 'unchanged' },
      { path: 'src/c.ts', kind: 'create' },
    ]);
    const result = await txn.commit();
    expect(result.changes.map((c) => c.kind)).toEqual(['delete', 'update', 'unchanged', 'create']);
    expect((await fsp.stat(path.join(root, 'src/b.ts'))).ino).toBe(inode);
  });

  it('prints git-style unified diffs for created, updated and deleted files', async () => {
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'export const a = 2;\n');
    await txn.writeFile('src/c.ts', 'line 1\nline 2\n');
    await txn.deletePath('docs/readme.md');
    expect(txn.diff()).toBe(
      [
        '--- a/docs/readme.md',
        '+++ /dev/null',
        '@@ -1,1 +0,0 @@',
        '-# readme',
        '--- a/src/a.ts',
        '+++ b/src/a.ts',
        '@@ -1,1 +1,1 @@',
        '-export const a = 1;',
        '+export const a = 2;',
        '--- /dev/null',
        '+++ b/src/c.ts',
        '@@ -0,0 +1,2 @@',
        '+line 1',
        '+line 2',
        '',
      ].join('\n'),
    );
  });
});

describe('conflicts', () => {
  it('refuses to commit when a file read by the transaction changed on disk, and writes nothing', async () => {
    const before = await snapshotTree(root);
    const txn = workspace.transaction();
    await txn.readFile('src/a.ts');
    await txn.writeFile('src/b.ts', 'changed b');
    await txn.writeFile('src/new.ts', 'new');
    await fsp.writeFile(path.join(root, 'src/a.ts'), 'someone else');
    const commit = txn.commit();
    await expect(commit).rejects.toBeInstanceOf(ConflictError);
    await expect(commit).rejects.toMatchObject({ code: 'CONFLICT', paths: ['src/a.ts'] });
    expect(await snapshotTree(root)).toEqual({ ...before, 'src/a.ts': 'someone else' });
    expect(await leftovers(root)).toEqual([]);
  });

  it('lists every conflicting path: changed, deleted, and created where the transaction saw nothing', async () => {
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'mine');
    await txn.writeFile('docs/readme.md', 'mine');
    await txn.writeFile('src/new.ts', 'mine');
    await fsp.writeFile(path.join(root, 'src/a.ts'), 'theirs');
    await fsp.rm(path.join(root, 'docs/readme.md'));
    await fsp.writeFile(path.join(root, 'src/new.ts'), 'theirs');
    await expect(txn.commit()).rejects.toMatchObject({ paths: ['docs/readme.md', 'src/a.ts', 'src/new.ts'] });
    expect(await read('src/new.ts')).toBe('theirs');
  });

  it('treats a file appearing in a folder staged for removal as a conflict', async () => {
    const txn = workspace.transaction();
    await txn.deletePath('old', { recursive: true });
    await fsp.writeFile(path.join(root, 'old/sub/late.txt'), 'late');
    await expect(txn.commit()).rejects.toMatchObject({ code: 'CONFLICT', paths: ['old/sub/late.txt'] });
    expect(await read('old/x.txt')).toBe('x\n');
  });
});

describe('commit', () => {
  it('applies every kind of change and leaves no journal or temp file behind', async () => {
    await fsp.chmod(path.join(root, 'src/a.ts'), 0o600);
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'export const a = 2;\n');
    await txn.writeFile('deep/er/new.ts', 'new');
    await txn.deletePath('docs/readme.md');
    await txn.deletePath('old', { recursive: true });
    await txn.mkdir('empty/made');
    await txn.commit();
    const tree = await snapshotTree(root);
    expect(tree).toEqual({
      'deep/': '',
      'deep/er/': '',
      'deep/er/new.ts': 'new',
      'docs/': '',
      'empty/': '',
      'empty/made/': '',
      'src/': '',
      'src/a.ts': 'export const a = 2;\n',
      'src/b.ts': 'export const b = 1;\n',
    });
    expect((await fsp.stat(path.join(root, 'src/a.ts'))).mode & 0o777).toBe(0o600);
    expect(await leftovers(root)).toEqual([]);
  });

  it('turns a file into a folder and a folder into a file within one commit', async () => {
    const txn = workspace.transaction();
    await txn.deletePath('docs/readme.md');
    await txn.writeFile('docs/readme.md/index.md', 'now a folder');
    await txn.deletePath('old', { recursive: true });
    await txn.writeFile('old', 'now a file');
    await txn.commit();
    expect(await read('docs/readme.md/index.md')).toBe('now a folder');
    expect(await read('old')).toBe('now a file');
  });

  it('commits many files', async () => {
    const txn = workspace.transaction({ concurrency: 8 });
    for (let i = 0; i < 120; i++) await txn.writeFile(`gen/d${i % 6}/f${i}.ts`, `export const v = ${i};\n`);
    const result = await txn.commit();
    expect(result.changes.filter((change) => change.kind === 'create')).toHaveLength(120);
    expect(await read('gen/d5/f119.ts')).toBe('export const v = 119;\n');
    expect((await fsp.readdir(path.join(root, 'gen/d0'))).length).toBe(20);
  });

  it('restores every file when a folder cannot be written', async () => {
    const before = await snapshotTree(root);
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'export const a = 2;\n');
    await txn.deletePath('docs/readme.md');
    await txn.deletePath('old', { recursive: true });
    await txn.writeFile('fresh/new.ts', 'new');
    if (process.getuid?.() === 0) {
      // chmod does not stop root: a parent that is a regular file stops everyone.
      await txn.writeFile('src/b.ts/child.ts', 'cannot exist');
    } else {
      await fsp.chmod(path.join(root, 'src'), 0o555);
    }
    const commit = txn.commit();
    await expect(commit).rejects.toBeInstanceOf(CommitError);
    await expect(commit).rejects.toMatchObject({ code: 'COMMIT_FAILED', rolledBack: true });
    await fsp.chmod(path.join(root, 'src'), 0o755);
    expect(await snapshotTree(root)).toEqual(before);
    expect(await leftovers(root)).toEqual([]);
  });

  it('restores every file when the commit fails after renaming and deleting', async () => {
    const before = await snapshotTree(root);
    const txn = workspace.transaction({ concurrency: 1 });
    await txn.writeFile('src/a.ts', 'export const a = 2;\n');
    await txn.writeFile('src/b.ts', 'export const b = 2;\n');
    await txn.writeFile('fresh/new.ts', 'new');
    await txn.deletePath('old', { recursive: true });
    const seen: string[] = [];
    const commit = txn.commit({
      onPhase(phase, detail) {
        seen.push(detail ? `${phase}#${detail.index}` : phase);
        if (phase === 'renamed' && detail?.index === 1) throw new Error('disk on fire');
      },
    });
    await expect(commit).rejects.toMatchObject({ code: 'COMMIT_FAILED', rolledBack: true, cause: expect.objectContaining({ message: 'disk on fire' }) });
    expect(seen).toEqual([
      'journal-written',
      'deleted#0',
      'deleted#1',
      'dirs-ready',
      'temp-written#0',
      'temp-written#1',
      'temp-written#2',
      'temp-synced#0',
      'temp-synced#1',
      'temp-synced#2',
      'renamed#0',
      'renamed#1',
    ]);
    expect(await snapshotTree(root)).toEqual(before);
    expect(await leftovers(root)).toEqual([]);
  });

  it('reports the commit phases in order, ending past the commit point', async () => {
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'changed');
    const phases: string[] = [];
    await txn.commit({ onPhase: (phase) => void phases.push(phase) });
    expect(phases).toEqual(['journal-written', 'dirs-ready', 'temp-written', 'temp-synced', 'renamed', 'synced', 'before-cleanup', 'committed', 'cleaned-up']);
  });
});

describe('lifecycle', () => {
  it('refuses any use after commit', async () => {
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'x');
    await txn.commit();
    expect(txn.state).toBe('committed');
    await expect(txn.readFile('src/a.ts')).rejects.toBeInstanceOf(TransactionClosedError);
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
    expect(() => txn.diff()).toThrow(TransactionClosedError);
    expect(() => txn.rollback()).toThrow(TransactionClosedError);
  });

  it('discards staged changes on rollback without touching the disk', async () => {
    const before = await snapshotTree(root);
    const txn = workspace.transaction();
    await txn.writeFile('src/a.ts', 'x');
    await txn.deletePath('old', { recursive: true });
    txn.rollback();
    expect(txn.state).toBe('rolled-back');
    await expect(txn.writeFile('src/b.ts', 'y')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('refuses paths outside the workspace before staging anything', async () => {
    const txn = workspace.transaction();
    await expect(txn.writeFile('../escape.txt', 'x')).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(txn.movePath('src/a.ts', '/etc/sparc-escape')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    await expect(txn.deletePath('.')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    expect(txn.changes()).toEqual([]);
  });

  it('rejects bad options with the option named', () => {
    expect(() => workspace.transaction({ concurrency: 0 })).toThrow(/concurrency/);
  });
});
