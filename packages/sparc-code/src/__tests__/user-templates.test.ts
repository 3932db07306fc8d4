import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { MODE_RULES } from '@sparc/batch-core';
import type { GenerateData, ListData } from '../lib/mode/data';
import { runCode, snapshot, tempWorkspace, writeFiles, type TempWorkspace } from './helpers/workspace';

/** A React-free "component" template: a schema function (no zod of its own needed), a templated path, one copied file. */
const COMPONENT = {
  '.sparc/templates/component/template.json': JSON.stringify({ description: 'A UI component and its story', out: 'src/components' }),
  '.sparc/templates/component/schema.cjs': `module.exports = (z) => z.object({
  name: z.string().regex(/^[A-Z][A-Za-z]+$/, 'must be PascalCase'),
  props: z.array(z.object({ name: z.string(), type: z.string() })).default([]),
  withStory: z.boolean().default(true),
});
`,
  '.sparc/templates/component/files/{{kebabCase name}}/{{kebabCase name}}.ts.hbs': `export interface {{name}}Props {
{{#each props}}
  {{this.name}}: {{this.type}};
{{/each}}
}

export const {{constantCase name}}_TAG = '<{{kebabCase name}}>';
`,
  '.sparc/templates/component/files/{{kebabCase name}}/README.md': 'Copied as is: {{name}} stays.\n',
};

describe('user templates in .sparc/templates', () => {
  let temp: TempWorkspace;

  beforeEach(async () => {
    temp = await tempWorkspace('templates');
    await writeFiles(temp.dir, COMPONENT);
  });
  afterEach(() => temp.cleanup());

  it('renders the template files and paths with the validated variables', async () => {
    const result = await runCode<GenerateData>(temp.workspace, 'generate', {
      generator: 'component',
      name: 'UserCard',
      vars: { props: [{ name: 'title', type: 'string' }, { name: 'count', type: 'number' }] },
    });
    expect(result.status).toBe('passed');
    expect((result.data as GenerateData).created).toEqual(['src/components/user-card/README.md', 'src/components/user-card/user-card.ts']);
    expect(await fsp.readFile(path.join(temp.dir, 'src/components/user-card/user-card.ts'), 'utf8')).toBe(
      "export interface UserCardProps {\n  title: string;\n  count: number;\n}\n\nexport const USER_CARD_TAG = '<user-card>';\n",
    );
    expect(await fsp.readFile(path.join(temp.dir, 'src/components/user-card/README.md'), 'utf8')).toBe('Copied as is: {{name}} stays.\n');
  });

  it('template variables that fail their schema give an error naming the variable, and write nothing', async () => {
    const before = await snapshot(temp.dir);
    const result = await runCode<GenerateData>(temp.workspace, 'generate', { generator: 'component', name: 'userCard', vars: { withStory: 'yes' } });
    expect(result.status).toBe('failed');
    expect(result.summary).toContain('template "component": variable "name": must be PascalCase');
    expect(result.summary).toContain('variable "withStory": Invalid input: expected boolean, received string');
    // A usage error: the CLI exits 2.
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: MODE_RULES.options, message: expect.stringContaining('name: must be PascalCase') }));
    expect(await snapshot(temp.dir)).toEqual(before);

    const missing = await runCode(temp.workspace, 'generate', { generator: 'component' });
    expect(missing.summary).toContain('variable "name": Invalid input: expected string, received undefined');
  });

  it('accepts a schema module that exports a zod schema built with the workspace zod', async () => {
    await fsp.symlink(path.dirname(path.dirname(require.resolve('zod/package.json'))), path.join(temp.dir, 'node_modules'), 'dir');
    await writeFiles(temp.dir, {
      '.sparc/templates/env/schema.js': "const { z } = require('zod');\nexports.schema = z.object({ key: z.string().regex(/^[A-Z_]+$/), value: z.coerce.number().int() });\n",
      '.sparc/templates/env/files/{{key}}.env.hbs': '{{key}}={{value}}\n',
    });
    const ok = await runCode<GenerateData>(temp.workspace, 'generate', { generator: 'env', vars: { key: 'PORT', value: '8080' }, out: 'config' });
    expect(ok.status).toBe('passed');
    expect(await fsp.readFile(path.join(temp.dir, 'config/PORT.env'), 'utf8')).toBe('PORT=8080\n');
    const bad = await runCode(temp.workspace, 'generate', { generator: 'env', vars: { key: 'port', value: 'x' } });
    expect(bad.summary).toMatch(/variable "key": .*variable "value": /);
  });

  it('reports a template whose rendered path leaves its output folder', async () => {
    await writeFiles(temp.dir, { '.sparc/templates/escape/files/{{where}}/x.txt': 'x\n' });
    const result = await runCode(temp.workspace, 'generate', { generator: 'escape', vars: { where: '..' } });
    expect(result.status).toBe('failed');
    expect(result.summary).toContain('renders to "../x.txt", which is not a plain relative path');
  });

  it('lists built-in generators and templates when the mode runs without a spec', async () => {
    const result = await runCode<ListData>(temp.workspace, undefined, {});
    expect(result.status).toBe('passed');
    expect((result.data as ListData).generators).toEqual([
      expect.objectContaining({ name: 'crud', kind: 'builtin' }),
      expect.objectContaining({ name: 'module', kind: 'builtin' }),
      expect.objectContaining({ name: 'package', kind: 'builtin' }),
      { name: 'component', kind: 'template', description: 'A UI component and its story' },
    ]);
  });
});
