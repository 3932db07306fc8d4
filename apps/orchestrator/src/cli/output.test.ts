import type { BatchEvent, OperationResult } from '@sparc/batch-core';
import type { OutputStream } from './context';
import { BatchProgress, formatBatchTable, formatMs, inSubmissionOrder, renderTable } from './output';

class FakeStream implements OutputStream {
  chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  readonly columns = 120;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

function result(id: string, status: OperationResult['status'], extra: Partial<OperationResult> = {}): OperationResult {
  return { id, type: 'file.write', status, attempts: 1, startMs: 0, durationMs: 12, ...extra };
}

const start: BatchEvent = { batchId: 1, type: 'batch:start', operations: 2, concurrency: 2, atomic: false, dryRun: false };

describe('BatchProgress', () => {
  it('draws nothing when the stream is not a terminal', () => {
    const stream = new FakeStream(false);
    const progress = new BatchProgress(stream);
    progress.handle(start);
    progress.handle({ batchId: 1, type: 'op:start', id: 'a', opType: 'file.write', attempt: 1 });
    progress.clear();
    expect(stream.chunks).toEqual([]);
  });

  it('shows done/total and the running ids on one rewritten line, and erases it at the end', async () => {
    const stream = new FakeStream(true);
    const progress = new BatchProgress(stream);
    progress.handle(start);
    expect(stream.chunks).toEqual(['\r\x1b[2K[0/2] running: -']);
    progress.handle({ batchId: 1, type: 'op:start', id: 'a', opType: 'file.write', attempt: 1 });
    progress.handle({ batchId: 1, type: 'op:start', id: 'b', opType: 'file.write', attempt: 1 });
    progress.handle({ batchId: 1, type: 'op:end', result: result('a', 'succeeded') });
    // Changes inside the redraw window are drawn when it ends, as one line with the latest state.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(stream.chunks[stream.chunks.length - 1]).toBe('\r\x1b[2K[1/2] running: b');
    progress.handle({ batchId: 1, type: 'batch:end', result: {} as never });
    expect(stream.chunks[stream.chunks.length - 1]).toBe('\r\x1b[2K');
  });
});

describe('batch formatting', () => {
  it('orders results as the batch listed its operations', () => {
    const ordered = inSubmissionOrder([result('c', 'succeeded'), result('a', 'succeeded'), result('b', 'failed')], ['a', 'b', 'c']);
    expect(ordered.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('prints a symbol, id, type, duration and the error of each operation', () => {
    const text = formatBatchTable([
      result('write', 'succeeded'),
      result('edit', 'failed', { error: { code: 'EDIT_NOT_FOUND', message: 'text "x" not found' } }),
      result('read', 'skipped', { error: { code: 'DEPENDENCY_FAILED', message: 'dependency "edit" failed' } }),
    ]);
    expect(text.split('\n')).toEqual([
      '✔  write  file.write  12 ms',
      '✖  edit   file.write  12 ms  EDIT_NOT_FOUND: text "x" not found',
      '○  read   file.write  -      DEPENDENCY_FAILED: dependency "edit" failed',
    ]);
  });

  it('pads table columns to the widest cell', () => {
    expect(renderTable([['a', 'bb', 'c'], ['ddd', 'e', 'f']])).toBe('a    bb  c\nddd  e   f');
  });

  it('formats durations', () => {
    expect(formatMs(0.2)).toBe('<1 ms');
    expect(formatMs(42.4)).toBe('42 ms');
    expect(formatMs(1234)).toBe('1.23 s');
  });
});
