import { z } from 'zod';
import { describeOptions, formatOptionsHelp } from './describe-options';
import { ModeOptionsError } from './errors';
import { MODE_RESULT_PLAIN } from './mode-result';
import { modeResultSchema } from './mode-result-schema';
import { parseOptionArgs, type RawOptionValue } from './parse-option-args';
import { parsePlain, plainFirst } from './plain-schema';
import { toPlainSchema, UnsupportedPlainSchemaError } from './to-plain-schema';

/** Every schema below paired with inputs to try: valid ones, edge cases and wrong ones. */
const inherited = Object.create({ name: 'from the prototype' }) as Record<string, unknown>;
const cases: Array<{ label: string; schema: z.ZodType; inputs: unknown[] }> = [
  { label: 'string min/max', schema: z.string().min(2).max(3), inputs: ['ab', 'abc', 'a', 'abcd', '', '😀', '😀😀', '😀😀😀😀', 'a😀', 3, null, undefined] },
  {
    label: 'int range',
    schema: z.number().int().min(1).max(32),
    inputs: [1, 32, 0, 33, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, '2', null, 2 ** 53, true],
  },
  { label: 'nonnegative int', schema: z.number().int().nonnegative(), inputs: [0, -0, -1, 7, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER] },
  { label: 'exclusive bounds', schema: z.number().gt(0).lt(1), inputs: [0, 1, 0.5, -0.1, 1e-300] },
  { label: 'z.int()', schema: z.int(), inputs: [1, 1.1, -5, 2 ** 60] },
  { label: 'boolean', schema: z.boolean(), inputs: [true, false, 0, 'true', undefined] },
  { label: 'enum', schema: z.enum(['md', 'json']), inputs: ['md', 'json', 'MD', '', 1, undefined] },
  { label: 'literals', schema: z.literal([1, 'one', null]), inputs: [1, 'one', null, 2, undefined, '1'] },
  { label: 'unknown', schema: z.unknown(), inputs: [undefined, null, 1, { a: 1 }, [1]] },
  { label: 'array min', schema: z.array(z.string().min(1)).min(1), inputs: [[], ['a'], ['a', ''], 'a', [1], [undefined], { 0: 'a', length: 1 }] },
  { label: 'nullable', schema: z.string().nullable(), inputs: [null, 'x', undefined, 1] },
  { label: 'optional', schema: z.string().optional(), inputs: [undefined, 'x', null] },
  { label: 'default', schema: z.array(z.string()).default(['.']), inputs: [undefined, [], ['a'], null] },
  {
    label: 'object: required, optional, default, nullable keys',
    schema: z.object({
      name: z.string(),
      tag: z.string().optional(),
      depth: z.number().int().default(2),
      resolved: z.string().nullable(),
      anything: z.unknown(),
      nested: z.object({ on: z.boolean().default(false), label: z.string().optional() }).optional(),
    }),
    inputs: [
      { name: 'a', resolved: null, anything: 1 },
      { anything: undefined, resolved: 'r', name: 'b', extra: 1, tag: 'x', depth: 3 },
      { name: 'a', resolved: null },
      { name: 'a', resolved: null, anything: 0, tag: undefined, depth: undefined },
      { name: 'a', resolved: null, anything: 0, nested: {} },
      { name: 'a', resolved: null, anything: 0, nested: { label: undefined, extra: true } },
      { name: 'a', resolved: null, anything: 0, nested: null },
      { name: 'a', resolved: undefined, anything: 0 },
      { resolved: null, anything: 0 },
      inherited,
      [],
      null,
      'name',
    ],
  },
  {
    label: 'strict object',
    schema: z.object({ a: z.string().default('x'), b: z.boolean().optional() }).strict(),
    inputs: [{}, { a: 'y' }, { b: true, a: 'z' }, { c: 1 }, JSON.parse('{"__proto__": 1}'), { b: undefined }, Object.create({ c: 1 })],
  },
  {
    label: 'array of objects',
    schema: z.array(z.object({ severity: z.enum(['error', 'info']), line: z.number().int().nonnegative().optional() })),
    inputs: [[], [{ severity: 'info' }], [{ line: 3, severity: 'error', more: 'x' }], [{ severity: 'warn' }], [{ severity: 'info', line: -1 }]],
  },
];

describe('parsePlain', () => {
  it.each(cases)('accepts and rejects what zod does, and returns what zod returns ($label)', ({ schema, inputs }) => {
    const plain = toPlainSchema(schema);
    for (const input of inputs) {
      const expected = schema.safeParse(input);
      const actual = parsePlain(plain, input);
      expect({ input, ok: actual.ok }).toEqual({ input, ok: expected.success });
      if (actual.ok && expected.success) {
        expect(actual.value).toStrictEqual(expected.data);
        // Same key order too: that is what the CLI prints.
        expect(JSON.stringify(actual.value)).toBe(JSON.stringify(expected.data));
      }
    }
  });

  it('gives each parse its own copy of a default', () => {
    const plain = toPlainSchema(z.object({ src: z.array(z.string()).default(['.']) }));
    const first = parsePlain(plain, {}) as { ok: true; value: { src: string[] } };
    first.value.src.push('mutated');
    expect(parsePlain(plain, {})).toEqual({ ok: true, value: { src: ['.'] } });
  });
});

describe('toPlainSchema', () => {
  it('writes the mode result schema down as MODE_RESULT_PLAIN says', () => {
    expect(toPlainSchema(modeResultSchema)).toEqual(MODE_RESULT_PLAIN);
  });

  it.each([
    ['a transform', z.string().transform((s) => s.length)],
    ['a refinement', z.string().refine((s) => s !== 'x')],
    ['a union', z.union([z.string(), z.number()])],
    ['a regex', z.string().regex(/^a/)],
    ['coercion', z.coerce.number()],
    ['kept unknown keys', z.object({ a: z.string() }).passthrough()],
    ['a record', z.record(z.string(), z.number())],
    ['a default that is not JSON', z.date().default(new Date(0))],
    ['a default that differs per parse', z.number().default((() => { let n = 0; return () => ++n; })())],
    ['a float32 number', z.float32()],
  ])('refuses %s, so that a schema leaving the subset fails where the plain form is generated', (_label, schema) => {
    expect(() => toPlainSchema(schema as z.ZodType)).toThrow(UnsupportedPlainSchemaError);
  });

  it('names where in the schema the unsupported part is', () => {
    expect(() => toPlainSchema(z.object({ outer: z.object({ inner: z.array(z.string().email()) }) }))).toThrow(/outer\.inner\[\]/);
  });
});

describe('plainFirst', () => {
  const schema = z.object({ depth: z.number().int().min(1).default(2) }).strict();

  it('answers valid values without loading the zod schema, and refused ones with zod’s own error', async () => {
    let loads = 0;
    const checker = plainFirst(toPlainSchema(schema), () => {
      loads++;
      return schema;
    });
    expect(checker.safeParse({})).toEqual({ success: true, data: { depth: 2 } });
    expect(await checker.safeParseAsync({ depth: 3 })).toEqual({ success: true, data: { depth: 3 } });
    expect(Object.keys(checker.shape)).toEqual(['depth']);
    expect(loads).toBe(0);

    const refused = checker.safeParse({ depth: 0, other: 1 });
    const direct = schema.safeParse({ depth: 0, other: 1 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues).toEqual(direct.error?.issues);
    expect((await checker.safeParseAsync({ depth: 'x' })).error?.issues).toEqual(schema.safeParse({ depth: 'x' }).error?.issues);
    expect(loads).toBe(1);
  });
});

describe('options from descriptors written down ahead of time', () => {
  const schema = z.object({
    src: z.array(z.string().min(1)).default(['.']).describe('folders'),
    depth: z.number().int().min(1).max(32).default(2).describe('how deep'),
    format: z.enum(['md', 'json']).default('md'),
    cache: z.boolean().default(true),
  });
  const descriptors = JSON.parse(JSON.stringify(describeOptions(schema)));
  const checker = plainFirst(toPlainSchema(schema), () => schema);

  it('formats the same help', () => {
    expect(formatOptionsHelp(descriptors)).toEqual(formatOptionsHelp(schema));
  });

  it('parses command-line values the same, errors included', () => {
    const samples: Array<Record<string, RawOptionValue>> = [{}, { src: ['a,b', 'c'], depth: '3' }, { cache: false, format: 'json' }, { depth: '0' }, { depth: '1.5' }, { format: 'pdf' }, { src: '' }, { nope: '1' }, { depth: ['1', '2'] }];
    for (const raw of samples) {
      const attempt = (fn: () => unknown) => {
        try {
          return { value: fn() };
        } catch (error) {
          expect(error).toBeInstanceOf(ModeOptionsError);
          return { message: (error as Error).message, issues: (error as ModeOptionsError).issues };
        }
      };
      expect(attempt(() => parseOptionArgs(checker, raw, descriptors))).toEqual(attempt(() => parseOptionArgs(schema, raw)));
    }
  });
});
