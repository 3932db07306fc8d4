import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, PathOutsideWorkspaceError, ValidationError } from '../../errors';
import type { HandlerContext } from '../types';
import { createContext, createTempWorkspace, runHandler, writeTree, type TempWorkspace } from './__fixtures__/handler-context';
import { searchGlobHandler } from './search-glob';
import { searchGrepHandler } from './search-grep';

let temp: TempWorkspace;
let ctx: HandlerContext;

beforeEach(async () => {
  temp = await createTempWorkspace();
  ctx = createContext(temp.workspace);
  await writeTree(temp.dir, {
    'src/a.ts': 'import x from "y";\nconst TODO = 1;\n// todo: later\nexport {};\n',
    'src/b.ts': 'line one\nline two\nfind me here\nline four\nline five\n',
    'src/nested/c.ts': 'const a = 1;\nconst b = 22;\nconst c = 333;\n',
    'src/readme.md': 'find me in markdown\n',
    'src/image.png': Buffer.concat([Buffer.from('find me'), Buffer.from([0, 1, 2, 3])]),
    '.hidden/secret.ts': 'find me hidden\n',
    'node_modules/pkg/index.ts': 'find me in deps\n',
    '.sparc/state.json': '{"find me": 1}\n',
  });
});
afterEach(() => temp.cleanup());

describe('search.glob', () => {
  it('lists matching files sorted and workspace-relative', async () => {
    const result = await runHandler(searchGlobHandler, { patterns: '**/*.ts' }, ctx);
    expect(result).toEqual({ files: ['src/a.ts', 'src/b.ts', 'src/nested/c.ts'], truncated: false });
  });

  it('returns paths relative to the workspace when searching from a sub-folder', async () => {
    const result = await runHandler(searchGlobHandler, { patterns: ['*.ts'], cwd: 'src/nested' }, ctx);
    expect(result.files).toEqual(['src/nested/c.ts']);
  });

  it('honours ignore, dot, limit and folders', async () => {
    expect((await runHandler(searchGlobHandler, { patterns: '**/*.ts', ignore: ['**/nested/**'] }, ctx)).files).toEqual(['src/a.ts', 'src/b.ts']);
    expect((await runHandler(searchGlobHandler, { patterns: '**/*.ts', dot: true }, ctx)).files).toEqual(['.hidden/secret.ts', 'src/a.ts', 'src/b.ts', 'src/nested/c.ts']);
    expect(await runHandler(searchGlobHandler, { patterns: '**/*.ts', limit: 2 }, ctx)).toEqual({ files: ['src/a.ts', 'src/b.ts'], truncated: true });
    expect((await runHandler(searchGlobHandler, { patterns: 'src/*', onlyFiles: false }, ctx)).files).toContain('src/nested/');
  });

  it('leaves out node_modules and .sparc unless default ignores are turned off', async () => {
    const everything = { patterns: '**/*', dot: true };
    expect((await runHandler(searchGlobHandler, everything, ctx)).files.some((f) => f.startsWith('node_modules/') || f.startsWith('.sparc/'))).toBe(false);
    const withDefaultsOff = await runHandler(searchGlobHandler, { ...everything, defaultIgnore: false }, ctx);
    expect(withDefaultsOff.files).toEqual(expect.arrayContaining(['node_modules/pkg/index.ts', '.sparc/state.json']));
  });

  it('refuses patterns and folders that escape the workspace', async () => {
    for (const patterns of ['../*', '/etc/*', 'src/../../*', '{..,src}/*', '!../x']) {
      await expect(runHandler(searchGlobHandler, { patterns }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    }
    await expect(runHandler(searchGlobHandler, { patterns: '*', cwd: '..' }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('does not follow symbolic links out of the workspace', async () => {
    const outside = await fsp.mkdtemp(path.join(path.dirname(temp.dir), 'sparc-outside-'));
    try {
      await fsp.writeFile(path.join(outside, 'leak.ts'), 'secret');
      await fsp.symlink(outside, path.join(temp.dir, 'src', 'link'));
      const result = await runHandler(searchGlobHandler, { patterns: '**/*.ts' }, ctx);
      expect(result.files).toEqual(['src/a.ts', 'src/b.ts', 'src/nested/c.ts']);
      await expect(runHandler(searchGlobHandler, { patterns: '*.ts', cwd: 'src/link' }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });
});

describe('search.grep', () => {
  it('finds a literal string with file, line and column, in file order', async () => {
    const result = await runHandler(searchGrepHandler, { pattern: 'find me' }, ctx);
    expect(result.matches).toEqual([
      { file: 'src/b.ts', line: 3, column: 1, text: 'find me here' },
      { file: 'src/readme.md', line: 1, column: 1, text: 'find me in markdown' },
    ]);
    expect(result.truncated).toBe(false);
  });

  it('treats the pattern literally unless regex is set', async () => {
    expect((await runHandler(searchGrepHandler, { pattern: 'a.ts' }, ctx)).matches).toEqual([]);
    const regex = await runHandler(searchGrepHandler, { pattern: 'const \\w = \\d{2,}', regex: true }, ctx);
    expect(regex.matches.map((m) => `${m.file}:${m.line}:${m.column}`)).toEqual(['src/nested/c.ts:2:1', 'src/nested/c.ts:3:1']);
  });

  it('matches case-insensitively on request', async () => {
    const exact = await runHandler(searchGrepHandler, { pattern: 'todo' }, ctx);
    expect(exact.matches.map((m) => m.line)).toEqual([3]);
    const loose = await runHandler(searchGrepHandler, { pattern: 'todo', ignoreCase: true }, ctx);
    expect(loose.matches.map((m) => [m.line, m.column])).toEqual([
      [2, 7],
      [3, 4],
    ]);
  });

  it('returns context lines before and after, clipped at the file edges', async () => {
    const result = await runHandler(searchGrepHandler, { pattern: 'line (two|five)', regex: true, context: 2 }, ctx);
    expect(result.matches).toEqual([
      { file: 'src/b.ts', line: 2, column: 1, text: 'line two', before: ['line one'], after: ['find me here', 'line four'] },
      { file: 'src/b.ts', line: 5, column: 1, text: 'line five', before: ['find me here', 'line four'], after: [] },
    ]);
  });

  it('searches only included files and leaves out excluded ones', async () => {
    const included = await runHandler(searchGrepHandler, { pattern: 'find me', include: ['**/*.md'] }, ctx);
    expect(included.matches.map((m) => m.file)).toEqual(['src/readme.md']);
    const excluded = await runHandler(searchGrepHandler, { pattern: 'const', exclude: ['src/nested/**'] }, ctx);
    expect(excluded.matches.map((m) => m.file)).toEqual(['src/a.ts']);
    const fromCwd = await runHandler(searchGrepHandler, { pattern: 'const', cwd: 'src/nested', include: ['*.ts'] }, ctx);
    expect(fromCwd.matches.map((m) => m.file)).toEqual(['src/nested/c.ts', 'src/nested/c.ts', 'src/nested/c.ts']);
  });

  it('skips binary files and files over maxFileBytes', async () => {
    const result = await runHandler(searchGrepHandler, { pattern: 'find me', include: ['src/*'] }, ctx);
    expect(result.matches.map((m) => m.file)).not.toContain('src/image.png');
    expect(result.filesSkipped).toBe(1);
    expect(result.filesSearched).toBe(3);

    const small = await runHandler(searchGrepHandler, { pattern: 'find me', include: ['src/*'], maxFileBytes: 30 }, ctx);
    expect(small.matches.map((m) => m.file)).toEqual(['src/readme.md']);
  });

  it('stops at maxResults, keeping the first matches in file and line order', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`many/f${String(i).padStart(2, '0')}.txt`] = 'hit\nmiss\nhit\n';
    await writeTree(temp.dir, files);
    const result = await runHandler(searchGrepHandler, { pattern: 'hit', include: ['many/**'], maxResults: 7 }, ctx);
    expect(result.truncated).toBe(true);
    expect(result.matches.map((m) => `${m.file}:${m.line}`)).toEqual([
      'many/f00.txt:1',
      'many/f00.txt:3',
      'many/f01.txt:1',
      'many/f01.txt:3',
      'many/f02.txt:1',
      'many/f02.txt:3',
      'many/f03.txt:1',
    ]);
    expect(result.filesSearched).toBe(4);

    const exact = await runHandler(searchGrepHandler, { pattern: 'hit', include: ['many/**'], maxResults: 60 }, ctx);
    expect(exact.matches).toHaveLength(60);
    expect(exact.truncated).toBe(false);
  });

  it('reports an invalid regular expression as a validation error on params.pattern', async () => {
    const error = await Promise.resolve(searchGrepHandler.run({ ...searchGrepHandler.params.parse({ pattern: 'x' }), pattern: '(unclosed', regex: true }, ctx)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0].path).toBe('params.pattern');

    const parsed = searchGrepHandler.params.safeParse({ pattern: '(unclosed', regex: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(['pattern']);
  });

  it('refuses include patterns that escape the workspace', async () => {
    await expect(runHandler(searchGrepHandler, { pattern: 'x', include: ['../**'] }, ctx)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('stops with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('batch cancelled');
    controller.abort(reason);
    await expect(runHandler(searchGrepHandler, { pattern: 'find me' }, createContext(temp.workspace, controller.signal))).rejects.toBe(reason);
  });
});
