import { countElementaryCycles, cycleExamples } from './cycles';
import { componentsOfSubgraph, stronglyConnectedComponents } from './scc';
import { adjacencies, adjacency, type Adjacency, type ImportGraph } from './build-graph';

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

describe('adjacency', () => {
  function graphOf(n: number, edges: Array<[number, number, number]>): ImportGraph {
    return {
      modules: Array.from({ length: n }, (_, i) => `m${i}.ts`),
      index: new Map(),
      edgeFrom: edges.map((e) => e[0]),
      edgeTo: edges.map((e) => e[1]),
      edgeFlags: edges.map((e) => e[2]),
      edgeLine: edges.map(() => 1),
      unresolved: [],
      external: [],
      outside: 0,
      parseErrors: [],
    };
  }
  const plain = (a: Adjacency) => ({ offsets: [...a.offsets], targets: [...a.targets], edges: [...a.edges] });

  it.each([
    ['grouped by importer', [[0, 1, 1], [0, 2, 0], [2, 0, 1], [2, 3, 3], [4, 4, 0]] as Array<[number, number, number]>],
    ['in any order', [[2, 0, 1], [0, 1, 1], [4, 4, 0], [0, 2, 0], [2, 3, 3]] as Array<[number, number, number]>],
    ['without edges', [] as Array<[number, number, number]>],
  ])('of all and of run-time edges at once is the same as one by one, %s', (_, edges) => {
    const graph = graphOf(6, edges);
    const both = adjacencies(graph);
    expect(plain(both.all)).toEqual(plain(adjacency(graph, true)));
    expect(plain(both.runtime)).toEqual(plain(adjacency(graph, false)));
  });
});

describe('components of a subgraph', () => {
  it('are those Tarjan finds on the subgraph alone, on random graphs', () => {
    // A small linear congruential generator: the same graphs on every run.
    let seed = 12345;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    const sorted = (components: number[][]) => components.map((c) => c.join(',')).sort();
    for (let round = 0; round < 50; round++) {
      const n = 5 + random(60);
      const edges: Array<[number, number]> = Array.from({ length: random(3 * n) }, () => [random(n), random(n)]);
      // Some edges (type-only imports, say) are left out of the subgraph.
      const sub = edges.filter(() => random(3) > 0);
      const graphComponents = stronglyConnectedComponents(n, adjacencyOf(n, edges));
      expect(sorted(componentsOfSubgraph(n, adjacencyOf(n, sub), graphComponents))).toEqual(sorted(stronglyConnectedComponents(n, adjacencyOf(n, sub))));
    }
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
