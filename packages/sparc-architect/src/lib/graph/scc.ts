import type { Adjacency } from './build-graph';

/**
 * Strongly connected components by Tarjan's algorithm, iterative (an explicit stack instead of
 * recursion), so a 100,000-module import chain does not overflow the call stack. Returns only the
 * components that hold a cycle: more than one module, or a module that imports itself.
 *
 * With `within`, only the modules marked 1 and the edges between them are looked at: enough when
 * every cycle is known to lie among them (see `componentsOfSubgraph`).
 */
export function stronglyConnectedComponents(n: number, adj: Adjacency, within?: Uint8Array): number[][] {
  const { offsets, targets } = adj;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  // Call frames: the node and the position of the next successor to look at.
  const frameNode = new Int32Array(n);
  const frameEdge = new Int32Array(n);
  let next = 0;
  const components: number[][] = [];

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || (within !== undefined && within[root] === 0)) continue;
    let depth = 0;
    frameNode[0] = root;
    frameEdge[0] = offsets[root];
    index[root] = low[root] = next++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = frameNode[depth];
      const e = frameEdge[depth];
      if (e < offsets[v + 1]) {
        frameEdge[depth] = e + 1;
        const w = targets[e];
        if (within !== undefined && within[w] === 0) continue;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          depth++;
          frameNode[depth] = w;
          frameEdge[depth] = offsets[w];
        } else if (onStack[w] === 1 && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      // All successors done: v roots a component when nothing reached below its own index.
      if (low[v] === index[v]) {
        if (stack[stackTop - 1] === v && !hasSelfLoop(adj, v)) {
          // A component of one module that does not import itself: no cycle, and no array to build.
          onStack[v] = 0;
          stackTop--;
        } else {
          const component: number[] = [];
          let w: number;
          do {
            w = stack[--stackTop];
            onStack[w] = 0;
            component.push(w);
          } while (w !== v);
          components.push(component.sort((a, b) => a - b));
        }
      }
      depth--;
      if (depth >= 0) {
        const parent = frameNode[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return components;
}

function hasSelfLoop(adj: Adjacency, v: number): boolean {
  for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) if (adj.targets[e] === v) return true;
  return false;
}

/**
 * The cyclic components of a subgraph (a subset of the edges of `adj`'s graph) from those of the
 * whole graph: a cycle of the subgraph is one of the graph too, so only modules already in a
 * cyclic component of the graph need to be looked at. Usually a small part of the modules.
 */
export function componentsOfSubgraph(n: number, sub: Adjacency, graphComponents: readonly number[][]): number[][] {
  const within = new Uint8Array(n);
  for (const component of graphComponents) for (const v of component) within[v] = 1;
  return stronglyConnectedComponents(n, sub, within);
}
