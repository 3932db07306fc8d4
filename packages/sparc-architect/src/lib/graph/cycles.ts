import type { Adjacency } from './build-graph';

export interface CycleExamplesOptions {
  /** Most example cycles per component. @default 5 */
  perComponent?: number;
  /** Most example cycles in all. @default 50 */
  total?: number;
  /** Start nodes tried per component when looking for distinct short cycles. @default 64 */
  starts?: number;
}

/**
 * Short elementary cycles to show a person: for a few modules of each component, the shortest
 * cycle through that module (breadth-first search inside the component). Each cycle is listed from
 * its smallest module index, without repeating the first module at the end.
 */
export function cycleExamples(components: readonly number[][], adj: Adjacency, n: number, options: CycleExamplesOptions = {}): number[][] {
  const perComponent = options.perComponent ?? 5;
  const total = options.total ?? 50;
  const starts = options.starts ?? 64;
  const member = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n);
  const seenAt = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const out: number[][] = [];
  let search = 0;
  components.forEach((component, c) => {
    for (const v of component) member[v] = c;
  });
  for (let c = 0; c < components.length && out.length < total; c++) {
    const component = components[c];
    const found = new Set<string>();
    const limit = Math.min(component.length, starts);
    for (let i = 0; i < limit && found.size < perComponent && out.length < total; i++) {
      const s = component[i];
      search++;
      let head = 0;
      let tail = 0;
      queue[tail++] = s;
      seenAt[s] = search;
      let closing = -1;
      while (head < tail && closing < 0) {
        const v = queue[head++];
        for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) {
          const w = adj.targets[e];
          if (member[w] !== c) continue;
          if (w === s) {
            closing = v;
            break;
          }
          if (seenAt[w] !== search) {
            seenAt[w] = search;
            parent[w] = v;
            queue[tail++] = w;
          }
        }
      }
      if (closing < 0) continue;
      const path: number[] = [];
      for (let v = closing; v !== s; v = parent[v]) path.push(v);
      path.push(s);
      path.reverse();
      const rotated = rotateToSmallest(path);
      const key = rotated.join(',');
      if (found.has(key)) continue;
      found.add(key);
      out.push(rotated);
    }
  }
  return out;
}

function rotateToSmallest(cycle: number[]): number[] {
  let best = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[best]) best = i;
  return [...cycle.slice(best), ...cycle.slice(0, best)];
}

export interface CycleCount {
  /** Elementary cycles counted. */
  count: number;
  /** False when counting stopped at the limit: there are at least `count`. */
  complete: boolean;
}

/**
 * Counts elementary cycles with Johnson's algorithm (iterative), stopping at `limit` cycles or
 * `stepBudget` edge visits, since the number can grow exponentially with the component's size.
 * As Johnson does, each round takes the strongly connected component of the least remaining
 * module in the subgraph of the modules not yet used as a start, so modules on no remaining cycle
 * are never searched from (a 100,000-module ring costs one pass, not 100,000).
 */
export function countElementaryCycles(components: readonly number[][], adj: Adjacency, n: number, limit = 10_000, stepBudget = 2_000_000): CycleCount {
  const rank = new Int32Array(n).fill(-1);
  const blocked = new Uint8Array(n);
  const blockedBy: Array<number[] | undefined> = new Array(n);
  const budget = { steps: 0, max: stepBudget };
  let count = 0;
  const frameNode: number[] = [];
  const frameEdge: number[] = [];
  const frameFound: boolean[] = [];
  for (const component of components) {
    component.forEach((v, i) => (rank[v] = i));
    let from = 0;
    while (from < component.length) {
      const next = leastCyclicComponent(component, from, adj, rank, budget);
      if (next === undefined) break;
      if (budget.steps > budget.max) return { count, complete: false };
      const { start: si, members } = next;
      const s = component[si];
      // The search stays inside `members` (ranked at or after s): each cycle is found once, from its lowest-ranked module.
      const inside = new Uint8Array(n);
      for (const v of members) {
        inside[v] = 1;
        blocked[v] = 0;
        blockedBy[v] = undefined;
      }
      frameNode.length = frameEdge.length = frameFound.length = 0;
      frameNode.push(s);
      frameEdge.push(adj.offsets[s]);
      frameFound.push(false);
      blocked[s] = 1;
      while (frameNode.length > 0) {
        const top = frameNode.length - 1;
        const v = frameNode[top];
        const e = frameEdge[top];
        if (e < adj.offsets[v + 1]) {
          frameEdge[top] = e + 1;
          if (++budget.steps > budget.max) return { count, complete: false };
          const w = adj.targets[e];
          if (inside[w] === 0) continue;
          if (w === s) {
            frameFound[top] = true;
            if (++count >= limit) return { count, complete: false };
          } else if (!blocked[w]) {
            blocked[w] = 1;
            frameNode.push(w);
            frameEdge.push(adj.offsets[w]);
            frameFound.push(false);
          }
          continue;
        }
        const found = frameFound[top];
        frameNode.pop();
        frameEdge.pop();
        frameFound.pop();
        if (found) unblock(v, blocked, blockedBy);
        else {
          for (let k = adj.offsets[v]; k < adj.offsets[v + 1]; k++) {
            const w = adj.targets[k];
            if (inside[w] === 0) continue;
            const list = (blockedBy[w] ??= []);
            if (!list.includes(v)) list.push(v);
          }
        }
        if (found && frameFound.length > 0) frameFound[frameFound.length - 1] = true;
      }
      from = si + 1;
    }
    for (const v of component) rank[v] = -1;
  }
  return { count, complete: true };
}

/**
 * In the subgraph of `component`'s modules ranked `from` or later, the strongly connected
 * component (with a cycle) holding the lowest-ranked module that is on a cycle at all.
 */
function leastCyclicComponent(component: readonly number[], from: number, adj: Adjacency, rank: Int32Array, budget: { steps: number }): { start: number; members: number[] } | undefined {
  const size = component.length - from;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: number[] = [];
  const frames: Array<[number, number]> = [];
  let counter = 0;
  let best: { start: number; members: number[] } | undefined;
  const local = (v: number) => rank[v] - from;
  for (let root = 0; root < size; root++) {
    if (index[root] !== -1) continue;
    frames.push([root, adj.offsets[component[from + root]]]);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [v, e] = frame;
      const node = component[from + v];
      if (e < adj.offsets[node + 1]) {
        frame[1] = e + 1;
        budget.steps++;
        const target = adj.targets[e];
        if (rank[target] < from) continue;
        const w = local(target);
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, adj.offsets[target]]);
        } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] !== index[v]) continue;
      const members: number[] = [];
      let w: number;
      let least = Number.MAX_SAFE_INTEGER;
      do {
        w = stack.pop() as number;
        onStack[w] = 0;
        members.push(component[from + w]);
        if (w < least) least = w;
      } while (w !== v);
      const cyclic = members.length > 1 || hasEdge(adj, component[from + v], component[from + v]);
      if (cyclic && (best === undefined || from + least < best.start)) best = { start: from + least, members };
    }
  }
  return best;
}

function hasEdge(adj: Adjacency, v: number, w: number): boolean {
  for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) if (adj.targets[e] === w) return true;
  return false;
}

function unblock(start: number, blocked: Uint8Array, blockedBy: Array<number[] | undefined>): void {
  const work = [start];
  while (work.length > 0) {
    const u = work.pop() as number;
    if (!blocked[u]) continue;
    blocked[u] = 0;
    const list = blockedBy[u];
    if (list !== undefined) {
      blockedBy[u] = undefined;
      for (const w of list) if (blocked[w]) work.push(w);
    }
  }
}
