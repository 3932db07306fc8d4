import type { Adjacency } from './build-graph';

export interface ModuleMetrics {
  /** Distinct modules that import this one. */
  fanIn: number;
  /** Distinct modules this one imports. */
  fanOut: number;
  /** fanOut / (fanIn + fanOut): 0 stable (only depended on) … 1 unstable (only depends); 0 when isolated. */
  instability: number;
}

export function moduleMetrics(n: number, adj: Adjacency): ModuleMetrics[] {
  const fanIn = new Int32Array(n);
  for (let i = 0; i < adj.targets.length; i++) fanIn[adj.targets[i]]++;
  const out: ModuleMetrics[] = new Array(n);
  for (let v = 0; v < n; v++) {
    const fanOut = adj.offsets[v + 1] - adj.offsets[v];
    const sum = fanIn[v] + fanOut;
    out[v] = { fanIn: fanIn[v], fanOut, instability: sum === 0 ? 0 : round(fanOut / sum) };
  }
  return out;
}

export interface ComponentMetrics {
  name: string;
  /** `package` (a workspace package) or `folder` (a folder at the configured depth). */
  kind: 'package' | 'folder';
  modules: number;
  /** Afferent coupling: modules outside that import a module inside. */
  fanIn: number;
  /** Efferent coupling: modules outside that a module inside imports. */
  fanOut: number;
  instability: number;
  /** Components this one imports, with the number of import edges. */
  dependsOn: Array<{ name: string; edges: number }>;
  /** Part of a cycle between components. */
  inCycle: boolean;
}

/**
 * Coupling per component (a workspace package, or a folder at a configurable depth), as in
 * Robert C. Martin's package metrics: Ca counts outside modules depending on the component, Ce the
 * outside modules it depends on, instability = Ce / (Ca + Ce).
 */
export function componentMetrics(modules: readonly string[], componentOf: readonly number[], names: readonly string[], kinds: readonly ('package' | 'folder')[], adj: Adjacency): { metrics: ComponentMetrics[]; edges: Map<number, Map<number, number>> } {
  const count = names.length;
  const size = new Int32Array(count);
  for (let v = 0; v < componentOf.length; v++) size[componentOf[v]]++;
  // Importers of a component are counted as modules come (each module once per component it
  // imports from: `lastImporter`); what a component imports, in a Set per component.
  const fanIn = new Int32Array(count);
  const lastImporter = new Int32Array(count).fill(-1);
  const imported: Array<Set<number>> = Array.from({ length: count }, () => new Set());
  const edges = new Map<number, Map<number, number>>();
  const { offsets, targets } = adj;
  for (let v = 0; v < modules.length; v++) {
    const cv = componentOf[v];
    let row: Map<number, number> | undefined;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const w = targets[e];
      const cw = componentOf[w];
      if (cv === cw) continue;
      if (lastImporter[cw] !== v) {
        lastImporter[cw] = v;
        fanIn[cw]++;
      }
      imported[cv].add(w);
      if (row === undefined) {
        row = edges.get(cv);
        if (row === undefined) edges.set(cv, (row = new Map()));
      }
      row.set(cw, (row.get(cw) ?? 0) + 1);
    }
  }
  const metrics: ComponentMetrics[] = names.map((name, c) => {
    const fanOut = imported[c].size;
    const dependsOn = [...(edges.get(c) ?? new Map<number, number>()).entries()].map(([to, n]) => ({ name: names[to], edges: n })).sort((a, b) => b.edges - a.edges || (a.name < b.name ? -1 : 1));
    return { name, kind: kinds[c], modules: size[c], fanIn: fanIn[c], fanOut, instability: fanIn[c] + fanOut === 0 ? 0 : round(fanOut / (fanIn[c] + fanOut)), dependsOn, inCycle: false };
  });
  return { metrics, edges };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
