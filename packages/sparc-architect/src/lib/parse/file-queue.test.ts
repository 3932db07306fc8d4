import { FileQueue, TAKEN_BY_MAIN, TAKEN_BY_POOL } from './file-queue';

describe('FileQueue', () => {
  it('hands each position out once: the thread from the front (below its limit), the main thread from the back', () => {
    const queue = new FileQueue([10, 10, 10, 10, 10, 10], 4);
    expect(FileQueue.claimFromFront(queue.claims)).toBe(0);
    expect(queue.take(15, TAKEN_BY_MAIN)).toEqual([5, 4]);
    expect(FileQueue.claimFromFront(queue.claims)).toBe(1);
    expect(queue.take(0, TAKEN_BY_POOL)).toEqual([3]);
    queue.giveBack([3]);
    expect(queue.claimedByThread()).toEqual([0, 1]);
    // Given-back positions first, then on from the back until the ends meet.
    expect(queue.take(100, TAKEN_BY_MAIN)).toEqual([3, 2]);
    expect(FileQueue.claimFromFront(queue.claims)).toBeUndefined();
    expect(queue.take(100, TAKEN_BY_MAIN)).toEqual([]);
    expect([...queue.takenBy]).toEqual([0, 0, TAKEN_BY_MAIN, TAKEN_BY_MAIN, TAKEN_BY_MAIN, TAKEN_BY_MAIN]);
  });

  it('takes what a thread skipped over, rather than stop at its first claim', () => {
    const queue = new FileQueue([10, 10, 10, 10, 10]);
    expect(FileQueue.claimFromFront(queue.claims)).toBe(0);
    Atomics.add(new Int32Array(queue.claims.front), 0, 1);
    expect(FileQueue.claimFromFront(queue.claims)).toBe(2);
    expect(queue.take(100, TAKEN_BY_MAIN)).toEqual([4, 3, 1]);
    expect(queue.claimedByThread()).toEqual([0, 2]);
  });

  it('keeps the thread below its limit', () => {
    const queue = new FileQueue([10, 10, 10], 1);
    expect(FileQueue.claimFromFront(queue.claims)).toBe(0);
    expect(FileQueue.claimFromFront(queue.claims)).toBeUndefined();
    expect(queue.take(100, TAKEN_BY_MAIN)).toEqual([2, 1]);
  });
});
