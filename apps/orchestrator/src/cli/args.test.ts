import { parseCommandArgs, positiveIntegerFlag, scanPositionals, type ArgsSpec } from './args';
import { UsageError } from './errors';
import { closest, editDistance } from './suggest';

const SPEC: ArgsSpec = {
  command: 'sparc test',
  flags: {
    dir: { type: 'string', valueName: 'DIR' },
    json: { type: 'boolean' },
    opt: { type: 'string', multiple: true },
    force: { type: 'boolean', inlineValue: true },
  },
  positionals: { min: 1, max: 2, names: 'a FILE' },
};

describe('parseCommandArgs', () => {
  it('reads flags, repeated flags and positionals', () => {
    const args = parseCommandArgs(['a.json', '--dir', 'ws', '--json', '--opt', 'x=1', '--opt=y=2', '-'], SPEC);
    expect(args.positionals).toEqual(['a.json', '-']);
    expect(args.string('dir')).toBe('ws');
    expect(args.boolean('json')).toBe(true);
    expect(args.list('opt')).toEqual(['x=1', 'y=2']);
    expect(args.help).toBe(false);
  });

  it('keeps an inline value of a boolean that accepts one', () => {
    expect(parseCommandArgs(['a', '--force=false'], SPEC).string('force')).toBe('false');
  });

  it('rejects a value given to a plain boolean flag', () => {
    expect(() => parseCommandArgs(['a', '--json=yes'], SPEC)).toThrow('option "--json" takes no value (got "yes")');
  });

  it('does not take the next flag as a value', () => {
    expect(() => parseCommandArgs(['a', '--dir', '--json'], SPEC)).toThrow('option "--dir" needs a value (--dir DIR)');
  });

  it('names an unknown flag and suggests a close one', () => {
    expect(() => parseCommandArgs(['a', '--jsno'], SPEC)).toThrow('unknown option "--jsno" for "sparc test" (did you mean "--json"?)');
  });

  it('checks the number of positionals', () => {
    expect(() => parseCommandArgs([], SPEC)).toThrow(UsageError);
    expect(() => parseCommandArgs(['a', 'b', 'c'], SPEC)).toThrow('unexpected argument "c" for "sparc test"');
  });

  it('lets --help through whatever else is wrong', () => {
    const args = parseCommandArgs(['--bogus', '-h'], SPEC);
    expect(args.help).toBe(true);
  });

  it('scans positionals leniently', () => {
    expect(scanPositionals(['fixture', '--max-depth=3', '--dir', 'ws'], { dir: { type: 'string' } })).toEqual({ positionals: ['fixture'], help: false });
  });
});

describe('positiveIntegerFlag', () => {
  it.each(['0', '-1', '1.5', 'abc', ''])('rejects %j', (raw) => {
    expect(() => positiveIntegerFlag('concurrency', raw)).toThrow(`--concurrency must be a positive integer (got "${raw}")`);
  });

  it('accepts whole numbers from 1', () => {
    expect(positiveIntegerFlag('concurrency', '8')).toBe(8);
    expect(positiveIntegerFlag('concurrency', undefined)).toBeUndefined();
  });
});

describe('closest', () => {
  it('suggests typos and prefixes, not unrelated words', () => {
    expect(closest('bach', ['batch', 'perf'])).toBe('batch');
    expect(closest('mod', ['modes', 'mode'])).toBe('mode');
    expect(closest('xyz', ['batch', 'perf'])).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('shuot', 'shout')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
