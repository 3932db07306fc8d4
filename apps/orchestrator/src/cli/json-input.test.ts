import { locateJsonError, parseJsonInput, positionOf } from './json-input';
import { InputError } from './errors';

describe('parseJsonInput', () => {
  it('parses valid JSON, with or without a byte order mark', () => {
    expect(parseJsonInput('{"a": [1, 2]}', 'f')).toEqual({ a: [1, 2] });
    expect(parseJsonInput('\ufeff{"a": 1}', 'f')).toEqual({ a: 1 });
  });

  it('reports the line and column of a trailing comma', () => {
    const text = '{\n  "operations": [\n    {"id": "a"},\n  ]\n}';
    expect(() => parseJsonInput(text, '"batch.json"')).toThrow(InputError);
    expect(() => parseJsonInput(text, '"batch.json"')).toThrow(/invalid JSON in "batch.json" at line 4, column 3/);
  });

  it('keeps the message on one line', () => {
    try {
      parseJsonInput('{\n"a": ]\n}', 'f');
      throw new Error("expected an InputError");
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('says when the input is empty', () => {
    expect(() => parseJsonInput('  \n', 'stdin')).toThrow('stdin is empty');
  });
});

describe('locateJsonError', () => {
  it.each([
    ['{"a": }', 1, 7],
    ['[1 2]', 1, 4],
    ['{"a": 1', 1, 8],
    ['{"a": 1}\n x', 2, 2],
    ['{"a": "x\ny"}', 1, 9],
    ['{"a": -}', 1, 7],
    ['{a: 1}', 1, 2],
  ])('finds the first error in %j at line %i, column %i', (text, line, column) => {
    expect(locateJsonError(text)).toMatchObject({ line, column });
  });

  it('finds nothing in valid JSON', () => {
    expect(locateJsonError('{"a": [1, -2.5e3, true, null, "\\u00e9"], "b": {}}')).toBeUndefined();
  });

  it('counts lines from 1 and columns from 1', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ offset: 4, line: 2, column: 2 });
  });
});
