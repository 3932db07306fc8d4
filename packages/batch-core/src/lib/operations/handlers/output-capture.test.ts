import { OutputCapture } from './output-capture';

describe('OutputCapture', () => {
  it('keeps everything within the budget', () => {
    const capture = new OutputCapture(10);
    capture.push(Buffer.from('abc'));
    capture.push(Buffer.from('defghij'));
    expect(capture.toString()).toBe('abcdefghij');
    expect(capture.truncated).toBe(false);
  });

  it('keeps the first and last halves of longer output, across chunk borders', () => {
    const capture = new OutputCapture(8);
    for (const chunk of ['12', '34', '56', '78', '90', 'ab', 'cd']) capture.push(Buffer.from(chunk));
    expect(capture.truncated).toBe(true);
    expect(capture.totalBytes).toBe(14);
    expect(capture.toString()).toBe('1234\n[... 6 bytes truncated ...]\nabcd');
  });

  it('handles one chunk larger than the whole budget', () => {
    const capture = new OutputCapture(4);
    capture.push(Buffer.from('0123456789'));
    expect(capture.toString()).toBe('01\n[... 6 bytes truncated ...]\n89');
    expect(capture.tail(2)).toBe('89');
  });

  it('keeps nothing with a zero budget but still counts', () => {
    const capture = new OutputCapture(0);
    capture.push(Buffer.from('abc'));
    expect(capture.toString()).toBe('\n[... 3 bytes truncated ...]\n');
    expect(capture.totalBytes).toBe(3);
  });
});
