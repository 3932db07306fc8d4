import { OperationError } from '../errors';
import { applyEdits, applyEditsCounted } from './apply-edits';

describe('applyEdits', () => {
  it('replaces a unique occurrence and applies edits in order, each to the previous result', () => {
    expect(applyEdits('a.ts', 'const a = 1;\nconst b = 2;\n', [
      { old: 'a = 1', new: 'a = 10' },
      { old: 'a = 10;\nconst b', new: 'a = 10;\nlet b' },
    ])).toBe('const a = 10;\nlet b = 2;\n');
  });

  it('replaces every occurrence with `all` and counts them', () => {
    expect(applyEditsCounted('a.ts', 'x + x + x', [{ old: 'x', new: 'y', all: true }])).toEqual({ content: 'y + y + y', replacements: 3 });
  });

  it('keeps replacement patterns such as $& literal', () => {
    expect(applyEdits('a.ts', 'price', [{ old: 'price', new: '$&$1' }])).toBe('$&$1');
  });

  it('fails with EDIT_NOT_FOUND naming the file and an excerpt of the text', () => {
    const attempt = () => applyEdits('src/a.ts', 'const a = 1;\n', [{ old: 'const missing = 2;\nmore', new: '' }]);
    expect(attempt).toThrow(OperationError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'EDIT_NOT_FOUND', message: expect.stringContaining('src/a.ts') }));
    expect(attempt).toThrow(/"const missing = 2;"…/);
  });

  it('fails with EDIT_AMBIGUOUS when the text occurs more than once without `all`', () => {
    const attempt = () => applyEdits('src/a.ts', 'x x', [{ old: 'x', new: 'y' }]);
    expect(attempt).toThrow(expect.objectContaining({ code: 'EDIT_AMBIGUOUS', message: expect.stringMatching(/src\/a\.ts.*occurs 2 times.*"x"/) }));
  });

  it('counts overlapping occurrences as ambiguous too', () => {
    expect(() => applyEdits('f', 'aaa', [{ old: 'aa', new: 'b' }])).toThrow(expect.objectContaining({ code: 'EDIT_AMBIGUOUS' }));
  });

  it('names which edit failed when there are several', () => {
    expect(() => applyEdits('f', 'abc', [{ old: 'a', new: 'A' }, { old: 'z', new: 'Z' }])).toThrow(/edit 2 of 2/);
  });

  it('refuses an empty `old`', () => {
    expect(() => applyEdits('f', 'abc', [{ old: '', new: 'x' }])).toThrow(expect.objectContaining({ code: 'EDIT_INVALID' }));
  });
});
