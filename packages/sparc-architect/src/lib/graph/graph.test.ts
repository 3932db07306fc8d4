import { countElementaryCycles, cycleExamples } from './cycles';
import { stronglyConnectedComponents } from './scc';
import type { Adjacency } from './build-graph';

function adjacencyOf(n: number, edges: Array<[number, number]>): Adjacency {
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (const [from, to] of edges) lists[from].push(to);
  const offsets = new Int32Array(n + 1);
  lists.forEach((l, v) => (offsets[v + 1] = offsets[v] + l.length));
  const targets = Int32Array.from(lists.flat());
  return { offsets, targets, edges: Int32Array.from(targets.keys()) };
}

describe('strongly connected components (iterative Tarjan)', () => {
  it('finds components with a cycle and self-loops, not acyclic nodes', () => {
    const adj = adjacencyOf(7, [
      [0, 1],
      [1, 2],
      [2, 0],
      [2, 3],
      [3, 4],
      [4, 4],
      [5, 6],
    ]);
    expect(stronglyConnectedComponents(7, adj).map((c) => [...c].sort())).toEqual([[4], [0, 1, 2]]);
  });

  it('walks a 100,000-module chain closed into one cycle without overflowing the stack', () => {
    const n = 100_000;
    const edges: Array<[number, number]> = [];
    for (let v = 0; v < n; v++) edges.push([v, (v + 1) % n]);
    const adj = adjacencyOf(n, edges);
    const components = stronglyConnectedComponents(n, adj);
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(n);
    expect(cycleExamples(components, adj, n, { perComponent: 1 })[0]).toHaveLength(n);
    expect(countElementaryCycles(components, adj, n)).toEqual({ count: 1, complete: true });
  });

  it('and an open 100,000-module chain has no component at all', () => {
    const n = 100_000;
    const adj = adjacencyOf(n, Array.from({ length: n - 1 }, (_, v): [number, number] => [v, v + 1]));
    expect(stronglyConnectedComponents(n, adj)).toEqual([]);
  });
});

describe('elementary cycles', () => {
  it('counts every elementary cycle of a complete graph (Johnson), and stops at the limit', () => {
    const edges: Array<[number, number]> = [];
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (a !== b) edges.push([a, b]);
    const adj = adjacencyOf(4, edges);
    const components = stronglyConnectedComponents(4, adj);
    // K4: C(4,2)·1! + C(4,3)·2! + C(4,4)·3! = 6 + 8 + 6
    expect(countElementaryCycles(components, adj, 4)).toEqual({ count: 20, complete: true });
    expect(countElementaryCycles(components, adj, 4, 5)).toEqual({ count: 5, complete: false });
  });

  it('shows the shortest cycles, each once, from its smallest module', () => {
    const adj = adjacencyOf(5, [
      [0, 1],
      [1, 0],
      [1, 2],
      [2, 3],
      [3, 1],
      [3, 4],
      [4, 0],
    ]);
    const components = stronglyConnectedComponents(5, adj);
    expect(cycleExamples(components, adj, 5)).toEqual([
      [0, 1],
      [1, 2, 3],
      [0, 1, 2, 3, 4],
    ]);
  });
});
