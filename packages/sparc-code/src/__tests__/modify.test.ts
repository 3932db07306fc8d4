import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ModifyData } from '../lib/mode/data';
import { CODE_RULES } from '../lib/mode/results';
import { runCode, snapshot, tempWorkspace, writeFiles, type TempWorkspace } from './helpers/workspace';

describe('code modify', () => {
  let temp: TempWorkspace;

  beforeEach(async () => {
    temp = await tempWorkspace('modify');
    await writeFiles(temp.dir, {
      'src/a.ts': "import { oldName } from './lib';\noldName(); oldName();\n",
      'src/nested/b.ts': "export const x = oldName('$1');\n",
      'src/c.ts': 'nothing to see\n',
      'src/logo.ts': 'old\0Name binary\n',
      'node_modules/dep/index.ts': 'oldName();\n',
      'docs/notes.md': 'oldName in docs\n',
    });
  });
  afterEach(() => temp.cleanup());

  const run = (options: Record<string, unknown>) => runCode<ModifyData>(temp.workspace, 'modify', { glob: 'src/**/*.ts', ...options });

  it('replaces literal text in every matching file, in one commit, and reports the counts', async () => {
    const result = await run({ find: 'oldName', replace: 'newName' });
    expect(result.status).toBe('passed');
    const data = result.data as ModifyData;
    expect(data.changes).toEqual([
      { path: 'src/a.ts', replacements: 3 },
      { path: 'src/nested/b.ts', replacements: 1 },
    ]);
    expect(data.replacements).toBe(4);
    expect(data.updated).toEqual(['src/a.ts', 'src/nested/b.ts']);
    expect(data.unchanged).toEqual(['src/c.ts']);
    expect(data.skipped).toEqual(['src/logo.ts']);
    expect(data.created).toEqual([]);
    expect(await fsp.readFile(path.join(temp.dir, 'src/a.ts'), 'utf8')).toBe("import { newName } from './lib';\nnewName(); newName();\n");
    // `$1` in literal text stays literal; node_modules and other globs are not touched.
    expect(await fsp.readFile(path.join(temp.dir, 'src/nested/b.ts'), 'utf8')).toBe("export const x = newName('$1');\n");
    expect(await fsp.readFile(path.join(temp.dir, 'node_modules/dep/index.ts'), 'utf8')).toBe('oldName();\n');
    expect(await fsp.readFile(path.join(temp.dir, 'docs/notes.md'), 'utf8')).toBe('oldName in docs\n');
  });

  it('--regex replaces with capture groups', async () => {
    const result = await run({ find: '(old)(Name)\\(', replace: '$2_$1(', regex: true });
    expect(result.status).toBe('passed');
    expect((result.data as ModifyData).replacements).toBe(3);
    expect(await fsp.readFile(path.join(temp.dir, 'src/a.ts'), 'utf8')).toBe("import { oldName } from './lib';\nName_old(); Name_old();\n");
  });

  it('--expect N writes nothing when the count differs', async () => {
    const before = await snapshot(temp.dir);
    const result = await run({ find: 'oldName', replace: 'newName', expect: 3 });
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('modify: expected 3 replacements, found 4 (in 2 files of 3 matched); nothing written');
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: CODE_RULES.expect }));
    expect(await snapshot(temp.dir)).toEqual(before);
    const exact = await run({ find: 'oldName', replace: 'newName', expect: 4 });
    expect(exact.status).toBe('passed');
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const before = await snapshot(temp.dir);
    const result = await run({ find: 'oldName', replace: 'newName', dryRun: true });
    expect(result.status).toBe('passed');
    const data = result.data as ModifyData;
    expect(data.committed).toBe(false);
    expect(data.diff).toContain("--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n-import { oldName } from './lib';\n-oldName(); oldName();\n+import { newName } from './lib';\n+newName(); newName();\n");
    expect(await snapshot(temp.dir)).toEqual(before);
  });

  it('warns when nothing matches, and refuses an invalid pattern', async () => {
    const none = await run({ find: 'notThere', replace: 'x' });
    expect(none.status).toBe('warning');
    expect(none.findings).toContainEqual(expect.objectContaining({ rule: CODE_RULES.noMatch }));
    const invalid = await run({ find: '(unclosed', replace: 'x', regex: true });
    expect(invalid.status).toBe('failed');
    expect(invalid.summary).toMatch(/--find is not a valid regular expression/);
  });

  it('refuses a glob that leads outside the workspace', async () => {
    const result = await run({ glob: '../**/*.ts', find: 'a', replace: 'b' });
    expect(result.status).toBe('failed');
    expect(result.summary).toMatch(/PATH_OUTSIDE_WORKSPACE|outside the workspace/);
  });
});
