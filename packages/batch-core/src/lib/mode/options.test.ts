import { z } from 'zod';
import { describeOptions, formatOptionsHelp, optionsJsonSchema, toFlag, toOptionName } from './describe-options';
import { ModeOptionsError } from './errors';
import { parseOptionArgs } from './parse-option-args';

const schema = z.object({
  src: z.string().default('.').describe('Folder to scan'),
  maxDepth: z.number().int().min(1).optional().describe('Deepest folder level'),
  format: z.enum(['json', 'mermaid', 'dot']).default('json'),
  include: z.array(z.string()).default([]).describe('Globs to include'),
  ports: z.array(z.number()).optional(),
  strict: z.boolean().default(false),
  name: z.string(),
  extra: z.record(z.string(), z.number()).optional(),
});

describe('describeOptions', () => {
  it('derives flag, type, description, default and required from the schema', () => {
    const described = describeOptions(schema);
    expect(described.map((d) => [d.name, d.flag, d.type, d.required])).toEqual([
      ['src', '--src', 'string', false],
      ['maxDepth', '--max-depth', 'number', false],
      ['format', '--format', 'enum', false],
      ['include', '--include', 'array', false],
      ['ports', '--ports', 'array', false],
      ['strict', '--strict', 'boolean', false],
      ['name', '--name', 'string', true],
      ['extra', '--extra', 'json', false],
    ]);
    const byName = Object.fromEntries(described.map((d) => [d.name, d]));
    expect(byName.src).toMatchObject({ description: 'Folder to scan', default: '.', hasDefault: true });
    expect(byName.maxDepth).toMatchObject({ description: 'Deepest folder level', hasDefault: false });
    expect(byName.maxDepth).not.toHaveProperty('default');
    expect(byName.format.choices).toEqual(['json', 'mermaid', 'dot']);
    expect(byName.include).toMatchObject({ itemType: 'string', default: [] });
    expect(byName.ports.itemType).toBe('number');
  });

  it('treats a union of literals as an enum and a transformed field by its input', () => {
    const described = describeOptions(
      z.object({ level: z.union([z.literal('low'), z.literal('high')]), size: z.string().transform((s) => s.length).describe('Any text') }),
    );
    expect(described[0]).toMatchObject({ type: 'enum', choices: ['low', 'high'] });
    expect(described[1]).toMatchObject({ type: 'string', description: 'Any text', required: true });
  });

  it('converts between option names and flags', () => {
    expect(toFlag('maxDepth')).toBe('--max-depth');
    expect(toFlag('includeHTMLReport')).toBe('--include-html-report');
    expect(toOptionName('--max-depth')).toBe('maxDepth');
    expect(toOptionName('maxDepth')).toBe('maxDepth');
  });
});

describe('parseOptionArgs', () => {
  it('coerces strings, numbers, booleans, enums, arrays and json, then applies defaults', () => {
    const parsed = parseOptionArgs(schema, {
      'max-depth': '4',
      format: 'mermaid',
      include: ['src/**', 'lib/**,test/**'],
      ports: '3000, 3001',
      strict: 'true',
      name: 'core',
      extra: '{"a":1}',
    });
    expect(parsed).toEqual({
      src: '.',
      maxDepth: 4,
      format: 'mermaid',
      include: ['src/**', 'lib/**', 'test/**'],
      ports: [3000, 3001],
      strict: true,
      name: 'core',
      extra: { a: 1 },
    });
  });

  it('accepts a bare boolean flag and camelCase keys', () => {
    expect(parseOptionArgs(schema, { strict: true, name: 'x', maxDepth: '2' })).toMatchObject({ strict: true, maxDepth: 2 });
    expect(parseOptionArgs(schema, { strict: 'false', name: 'x' }).strict).toBe(false);
  });

  it('round-trips: every described flag parses back to the value it stands for', () => {
    const args: Record<string, string> = {};
    for (const option of describeOptions(schema)) {
      if (option.type === 'string') args[option.flag] = 'value';
      if (option.type === 'number') args[option.flag] = '7';
      if (option.type === 'enum') args[option.flag] = String(option.choices?.[1]);
      if (option.type === 'boolean') args[option.flag] = 'true';
      if (option.type === 'array') args[option.flag] = option.itemType === 'number' ? '1,2' : 'a,b';
      if (option.type === 'json') args[option.flag] = '{"k":2}';
    }
    expect(parseOptionArgs(schema, args)).toEqual({
      src: 'value',
      maxDepth: 7,
      format: 'mermaid',
      include: ['a', 'b'],
      ports: [1, 2],
      strict: true,
      name: 'value',
      extra: { k: 2 },
    });
  });

  it('names an unknown flag and lists the known ones', () => {
    try {
      parseOptionArgs(schema, { name: 'x', 'max-dept': '3' });
      throw new Error('expected a ModeOptionsError');
    } catch (error) {
      expect(error).toBeInstanceOf(ModeOptionsError);
      const e = error as ModeOptionsError;
      expect(e.code).toBe('INVALID_OPTIONS');
      expect(e.issues).toEqual([
        { path: 'maxDept', message: 'unknown option "--max-dept" (known: --src, --max-depth, --format, --include, --ports, --strict, --name, --extra)' },
      ]);
    }
  });

  it('reports every coercion problem with its flag', () => {
    try {
      parseOptionArgs(schema, { name: 'x', 'max-depth': 'deep', format: 'svg', strict: 'yes', ports: '80,http' });
      throw new Error('expected a ModeOptionsError');
    } catch (error) {
      expect((error as ModeOptionsError).issues).toEqual([
        { path: 'maxDepth', message: '--max-depth: expects a number, got "deep"' },
        { path: 'format', message: '--format: expects one of json, mermaid, dot, got "svg"' },
        { path: 'strict', message: '--strict: expects true or false, got "yes"' },
        { path: 'ports', message: '--ports: expects a number, got "http"' },
      ]);
    }
  });

  it('passes schema failures on with the path and the flag, including a missing required option', () => {
    try {
      parseOptionArgs(schema, { 'max-depth': '0' });
      throw new Error('expected a ModeOptionsError');
    } catch (error) {
      const issues = (error as ModeOptionsError).issues;
      expect(issues.map((i) => i.path)).toEqual(['maxDepth', 'name']);
      expect(issues[0].message).toMatch(/^--max-depth: /);
      expect(issues[1].message).toMatch(/^--name: /);
    }
  });

  it('refuses a scalar flag repeated with different values', () => {
    expect(() => parseOptionArgs(schema, { name: ['a', 'b'] })).toThrow(/--name: given more than once/);
  });
});

describe('formatOptionsHelp and optionsJsonSchema', () => {
  it('prints one aligned line per option with hints, descriptions and defaults', () => {
    const lines = formatOptionsHelp(schema);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^ {2}--src <string> +Folder to scan; default: "\."$/);
    expect(lines[2]).toMatch(/--format <json\|mermaid\|dot> +default: json$/);
    expect(lines[3]).toMatch(/--include <string,\.\.\.> +Globs to include; comma list or repeat the flag$/);
    expect(lines[5]).toMatch(/--strict +default: false$/);
    expect(lines[6]).toMatch(/--name <string> +required$/);
  });

  it('gives MCP an input JSON schema where defaulted options are optional', () => {
    const json = optionsJsonSchema(schema) as { required: string[]; properties: Record<string, unknown> };
    expect(json.required).toEqual(['name']);
    expect(Object.keys(json.properties)).toContain('maxDepth');
  });
});
