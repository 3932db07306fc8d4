import { IdIndex } from './id-index';

describe('IdIndex', () => {
  it('finds every id it holds and reports duplicates with the first index', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `op-${i}`);
    ids.push('op-17');
    const index = new IdIndex(ids);
    for (let i = 0; i < 5_000; i++) expect(index.add(i)).toBe(-1);
    expect(index.add(5_000)).toBe(17);
    expect(index.get('op-4999')).toBe(4_999);
    expect(index.get('op-5000')).toBe(-1);
    expect(index.get('')).toBe(-1);
  });

  it('tells apart ids that collide in the table', () => {
    // A tiny table forces probing past occupied slots.
    const ids = ['a', 'b', 'c', 'd', 'e', 'ü', '日本'];
    const index = new IdIndex(ids, 1);
    ids.forEach((_, i) => expect(index.add(i)).toBe(-1));
    ids.forEach((id, i) => expect(index.get(id)).toBe(i));
  });
});
