import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { isBinary, unifiedDiff, unifiedDiffs } from './diff';

const buf = (text: string) => Buffer.from(text);

describe('unifiedDiff', () => {
  it('diffs an updated file with a/ and b/ prefixes', () => {
    expect(unifiedDiff({ path: 'src/a.ts', before: buf('one\ntwo\nthree\n'), after: buf('one\n2\nthree\n') })).toBe(
      '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n',
    );
  });

  it('uses /dev/null for the missing side of created and deleted files', () => {
    expect(unifiedDiff({ path: 'n.ts', before: null, after: buf('new\n') })).toBe('--- /dev/null\n+++ b/n.ts\n@@ -0,0 +1,1 @@\n+new\n');
    expect(unifiedDiff({ path: 'o.ts', before: buf('old'), after: null })).toBe('--- a/o.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old\n\\ No newline at end of file\n');
  });

  it.each(['', 'a\n', 'a\nb', '\n', 'a\n\n', 'x\r\ny\r\n', '\n\nlast'])('prints created and deleted %j exactly as jsdiff does', (text) => {
    const options = { headerOptions: FILE_HEADERS_ONLY };
    expect(unifiedDiff({ path: 'f', before: null, after: buf(text) })).toBe(createTwoFilesPatch('/dev/null', 'b/f', '', text, undefined, undefined, options));
    expect(unifiedDiff({ path: 'f', before: buf(text), after: null })).toBe(createTwoFilesPatch('a/f', '/dev/null', text, '', undefined, undefined, options));
  });

  it('does not print binary content', () => {
    const binary = Buffer.from([0x89, 0x50, 0x00, 0x01]);
    expect(isBinary(binary)).toBe(true);
    expect(unifiedDiff({ path: 'img.png', before: null, after: binary })).toBe('Binary files /dev/null and b/img.png differ\n');
  });

  it('joins several files in path order', () => {
    const patch = unifiedDiffs([
      { path: 'b.ts', before: null, after: buf('b\n') },
      { path: 'a.ts', before: null, after: buf('a\n') },
    ]);
    expect(patch.indexOf('+++ b/a.ts')).toBeLessThan(patch.indexOf('+++ b/b.ts'));
  });
});
