import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { entityConvention, MODE_RULES, parseSpec, Workspace } from '@sparc/batch-core';
import { renderEntityFiles, renderProjectFiles } from '../lib/generate/crud/crud';
import type { GenerateData } from '../lib/mode/data';
import { CODE_RULES } from '../lib/mode/results';
import { lockPath } from './helpers/commit-failure';
import { journalsLeft, runCode, snapshot, tempWorkspace, writeFiles, type TempWorkspace } from './helpers/workspace';

const todo = { generator: 'crud', entity: 'Todo', fields: 'title:string,done:boolean' };
const TODO = entityConvention('Todo');

describe('code generate: the generation flow', () => {
  let temp: TempWorkspace;

  beforeEach(async () => {
    temp = await tempWorkspace('flow');
  });
  afterEach(() => temp.cleanup());

  it('--dry-run writes nothing and returns the unified diff of every file', async () => {
    const result = await runCode<GenerateData>(temp.workspace, 'generate', { ...todo, dryRun: true });
    expect(result.status).toBe('passed');
    const data = result.data as GenerateData;
    expect(data.committed).toBe(false);
    expect(data.created).toHaveLength(9);
    expect(await snapshot(temp.dir)).toEqual({});
    expect(await fsp.readdir(temp.dir)).toEqual([]);
    const diff = data.diff ?? '';
    for (const file of data.created) expect(diff).toContain(`--- /dev/null\n+++ b/${file}\n`);
    const schema = renderEntityFiles({ name: 'Todo', fields: [{ name: 'title', type: 'string', optional: false, array: false }, { name: 'done', type: 'boolean', optional: false, array: false }] })[0];
    expect(schema.path).toBe(TODO.files.schema);
    // The diff carries the whole content, line by line.
    if ('content' in schema) for (const line of schema.content.trimEnd().split('\n')) expect(diff).toContain(`+${line}\n`);
  });

  it('a dry run over changed files shows what would change in them', async () => {
    await runCode(temp.workspace, 'generate', todo);
    const service = path.join(temp.dir, TODO.files.service);
    const original = await fsp.readFile(service, 'utf8');
    await fsp.writeFile(service, original.replace('const DEFAULT_LIMIT = 20;', 'const DEFAULT_LIMIT = 50;'));
    const before = await snapshot(temp.dir);
    const result = await runCode<GenerateData>(temp.workspace, 'generate', { ...todo, dryRun: true, conflict: 'overwrite' });
    const data = result.data as GenerateData;
    expect(data.updated).toEqual([TODO.files.service]);
    expect(data.diff).toContain(`--- a/${TODO.files.service}\n+++ b/${TODO.files.service}\n`);
    expect(data.diff).toContain('-const DEFAULT_LIMIT = 50;\n+const DEFAULT_LIMIT = 20;\n');
    expect(await snapshot(temp.dir)).toEqual(before);
  });

  it('a conflict fails the run with nothing written', async () => {
    await writeFiles(temp.dir, { [TODO.files.service]: '// my own service\n' });
    const before = await snapshot(temp.dir);
    const result = await runCode<GenerateData>(temp.workspace, 'generate', todo);
    expect(result.status).toBe('failed');
    const data = result.data as GenerateData;
    expect(data.conflicts).toEqual([TODO.files.service]);
    expect(data.committed).toBe(false);
    expect(result.summary).toContain(TODO.files.service);
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: CODE_RULES.conflict, file: TODO.files.service }));
    expect(await snapshot(temp.dir)).toEqual(before);
    expect(await journalsLeft(temp.dir)).toEqual([]);
  });

  it('identical content is a no-op, not a conflict', async () => {
    const first = await runCode<GenerateData>(temp.workspace, 'generate', todo);
    expect(first.status).toBe('passed');
    const before = await snapshot(temp.dir);
    const second = await runCode<GenerateData>(temp.workspace, 'generate', todo);
    expect(second.status).toBe('passed');
    const data = second.data as GenerateData;
    expect(data.unchanged).toHaveLength(9);
    expect(data.created).toEqual([]);
    expect(data.conflicts).toEqual([]);
    expect(data.committed).toBe(false);
    expect(await snapshot(temp.dir)).toEqual(before);
  });

  it('--conflict skip keeps changed files and writes the rest; overwrite replaces them', async () => {
    await writeFiles(temp.dir, { [TODO.files.service]: '// mine\n' });
    const skipped = await runCode<GenerateData>(temp.workspace, 'generate', { ...todo, conflict: 'skip' });
    expect(skipped.status).toBe('passed');
    expect((skipped.data as GenerateData).skipped).toEqual([TODO.files.service]);
    expect((skipped.data as GenerateData).created).toHaveLength(8);
    expect(await fsp.readFile(path.join(temp.dir, TODO.files.service), 'utf8')).toBe('// mine\n');

    const again = await runCode<GenerateData>(temp.workspace, 'generate', { ...todo, conflict: 'skip' });
    expect(again.status).toBe('failed');
    expect(again.summary).toMatch(/nothing written/);

    const overwritten = await runCode<GenerateData>(temp.workspace, 'generate', { ...todo, conflict: 'overwrite' });
    expect(overwritten.status).toBe('passed');
    expect((overwritten.data as GenerateData).updated).toEqual([TODO.files.service]);
    expect(await fsp.readFile(path.join(temp.dir, TODO.files.service), 'utf8')).toContain('export class TodoService');
  });

  it('a single crud writes src/errors.ts when missing and leaves an existing one alone', async () => {
    await writeFiles(temp.dir, { 'src/errors.ts': '// shared errors, edited by hand\n' });
    const result = await runCode<GenerateData>(temp.workspace, 'generate', todo);
    expect(result.status).toBe('passed');
    const data = result.data as GenerateData;
    expect(data.skipped).toEqual(['src/errors.ts']);
    expect(data.conflicts).toEqual([]);
    expect(await fsp.readFile(path.join(temp.dir, 'src/errors.ts'), 'utf8')).toBe('// shared errors, edited by hand\n');

    const other = await tempWorkspace('flow-errors');
    try {
      const fresh = await runCode<GenerateData>(other.workspace, 'generate', todo);
      expect((fresh.data as GenerateData).created).toContain('src/errors.ts');
      const errors = renderProjectFiles([], 'src', { app: false })[0];
      expect(await fsp.readFile(path.join(other.dir, 'src/errors.ts'), 'utf8')).toBe('content' in errors ? errors.content : '');
    } finally {
      await other.cleanup();
    }
  });

  it('names the missing options, and the CLI treats that as a usage error', async () => {
    const result = await runCode(temp.workspace, 'generate', { generator: 'crud', entity: 'Todo' });
    expect(result.status).toBe('failed');
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: MODE_RULES.options, message: expect.stringContaining('fields') }));
    const badField = await runCode(temp.workspace, 'generate', { generator: 'crud', entity: 'Todo', fields: 'title:strin' });
    expect(badField.summary).toContain('unknown type "strin"');
    const unknown = await runCode(temp.workspace, 'generate', { generator: 'nope' });
    expect(unknown.summary).toContain('unknown generator "nope" (known: crud, module, package)');
    expect(await snapshot(temp.dir)).toEqual({});
  });

  describe('a commit that fails half-way leaves every file as it was', () => {
    const spec = { name: 'two', entities: [{ name: 'Todo', fields: ['title:string'] }, { name: 'Person', fields: ['name:string'] }] };
    const PERSON = entityConvention('Person');
    let unlock: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      await writeFiles(temp.dir, {
        'sparc.spec.json': JSON.stringify(spec),
        // Existing files the run overwrites: the rollback must bring these contents back.
        [TODO.files.service]: '// old todo service\n',
        [TODO.files.schema]: '// old todo schema\n',
        'src/app.ts': '// old app\n',
        [PERSON.files.http]: '// old person handlers\n',
        [PERSON.files.httpTest]: '// old person http test\n',
      });
    });
    afterEach(async () => {
      await unlock?.();
      unlock = undefined;
    });

    it('when a target folder is read-only', async () => {
      const lock = await lockPath(path.join(temp.dir, PERSON.dir), 'folder');
      unlock = lock.unlock;
      const before = await snapshot(temp.dir);
      const result = await runCode<GenerateData>(temp.workspace, 'generate', { spec: 'sparc.spec.json', conflict: 'overwrite' });
      expect(result.status).toBe('failed');
      expect(result.summary).toMatch(/COMMIT_FAILED/);
      expect(result.summary).toMatch(/every file was restored/);
      expect(await snapshot(temp.dir)).toEqual(before);
      expect(await journalsLeft(temp.dir)).toEqual([]);
    });

    it('when a file cannot be replaced at the last step, even if the rollback cannot finish either', async () => {
      const lock = await lockPath(path.join(temp.dir, PERSON.files.httpTest), 'file');
      unlock = lock.unlock;
      const before = await snapshot(temp.dir);
      const result = await runCode<GenerateData>(temp.workspace, 'generate', { spec: 'sparc.spec.json', conflict: 'overwrite' });
      expect(result.status).toBe('failed');
      expect(result.summary).toMatch(/COMMIT_FAILED/);
      if (lock.method === 'chattr +i') {
        // The rename over the locked file fails after the files before it were renamed into place;
        // the rollback cannot put the locked file's backup back either, so the journal is kept...
        expect(result.summary).toMatch(/rename .*person\.http\.test\.ts/);
        expect(result.summary).toMatch(/journal was kept/);
      }
      await lock.unlock();
      unlock = undefined;
      // ...and the next open of the workspace finishes the rollback.
      await Workspace.open(temp.dir);
      expect(await snapshot(temp.dir)).toEqual(before);
      expect(await journalsLeft(temp.dir)).toEqual([]);
    });
  });
});

describe('code mode in a pipeline', () => {
  it("generates the pipeline spec's entities when run on its own", async () => {
    const temp = await tempWorkspace('pipeline');
    try {
      const spec = parseSpec({ name: 'p', entities: [{ name: 'Invoice', fields: ['total:number'] }], targets: { src: 'app/src' } });
      const result = await runCode<GenerateData>(temp.workspace, undefined, {}, { spec });
      expect(result.status).toBe('passed');
      const data = result.data as GenerateData;
      expect(data.entities).toEqual(['Invoice']);
      expect(data.created).toEqual(expect.arrayContaining(['app/src/invoice/invoice.service.ts', 'app/src/app.ts', 'app/src/main.ts', 'app/src/errors.ts', 'app/src/openapi.json']));
      expect(data.created).toHaveLength(12);
    } finally {
      await temp.cleanup();
    }
  });
});
