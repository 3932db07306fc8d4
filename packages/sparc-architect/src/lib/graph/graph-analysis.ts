import { createHash } from 'node:crypto';
import type { Resolver } from '../resolve/resolver';
import { adjacencies, type Adjacency, type ImportGraph } from './build-graph';
import { countElementaryCycles, cycleExamples, type CycleCount } from './cycles';
import { componentMetrics, moduleMetrics, type ComponentMetrics, type ModuleMetrics } from './metrics';
import { componentsOfSubgraph, stronglyConnectedComponents } from './scc';

/** Part of the analysis key: results computed by other code mean nothing here. */
const ANALYSIS_FORMAT = 1;

export interface ComponentInfo {
  names: string[];
  kinds: Array<'package' | 'folder'>;
  /** Component index of each module. */
  ofModule: number[];
  metrics: ComponentMetrics[];
  /** Import edges between components (from → to → count), over the edges cycles are judged on. */
  edges: Map<number, Map<number, number>>;
}

export interface GraphAnalysisOptions {
  typeEdges: 'include' | 'exclude';
  workspaces: boolean;
  /** Folder depth of a component outside workspace packages. */
  depth: number;
  maxCycleExamples: number;
}

/** What the analysis derives from the import graph alone (given the options and the workspace packages). */
export interface GraphAnalysis {
  /** The edges cycles, metrics and components are computed on (per `typeEdges`). */
  adj: Adjacency;
  /** Strongly connected components with a cycle, per `typeEdges`. */
  sccs: number[][];
  /** The same with the other `typeEdges` choice. */
  sccsOtherMode: number[][];
  examples: number[][];
  cycleCount: CycleCount;
  modules: ModuleMetrics[];
  components: ComponentInfo;
  orphans: string[];
}

/** Cycles, metrics, components and orphans of the graph. */
export function analyseGraph(graph: ImportGraph, resolver: Resolver, options: GraphAnalysisOptions): GraphAnalysis {
  const n = graph.modules.length;
  const both = adjacencies(graph);
  const adj = options.typeEdges === 'include' ? both.all : both.runtime;
  // Run-time edges are a subset of all edges: their cycles are found among those of all edges.
  const allSccs = stronglyConnectedComponents(n, both.all);
  const runtimeSccs = componentsOfSubgraph(n, both.runtime, allSccs);
  const sccs = sortComponents(options.typeEdges === 'include' ? allSccs : runtimeSccs);
  const sccsOtherMode = sortComponents(options.typeEdges === 'include' ? runtimeSccs : allSccs);
  return {
    adj,
    sccs,
    sccsOtherMode,
    examples: cycleExamples(sccs, adj, n, { total: options.maxCycleExamples }),
    cycleCount: countElementaryCycles(sccs, adj, n),
    modules: moduleMetrics(n, adj),
    components: assignComponents(graph.modules, resolver, options, adj),
    orphans: findOrphans(graph),
  };
}

/**
 * A digest of everything `analyseGraph` reads: the graph (modules, and every edge with its flags and
 * line), the options, and the workspace packages components are named after. The same key, the
 * same analysis, so a re-run whose graph did not change can take the last one.
 */
export function graphAnalysisKey(graph: ImportGraph, resolver: Resolver, options: GraphAnalysisOptions): string {
  const m = graph.edgeFrom.length;
  const packages = options.workspaces ? [...resolver.packages.values()].map((p) => `${p.dir}\0${p.name}`).sort() : [];
  const hash = createHash('sha256');
  // Counts first and NUL between names (no path holds one), so that lists cannot run into each other.
  hash.update(`${ANALYSIS_FORMAT}\0${options.typeEdges}\0${options.workspaces}\0${options.depth}\0${options.maxCycleExamples}\0${packages.length}\0${packages.join('\0')}\0`);
  hash.update(`${graph.modules.length}\0${graph.modules.join('\0')}\0${m}\0`);
  // Each edge array whole (Int32Array.from copies natively, faster than a loop here).
  for (const column of [graph.edgeFrom, graph.edgeTo, graph.edgeFlags, graph.edgeLine]) hash.update(Int32Array.from(column));
  return hash.digest('base64url');
}

/** Largest components first, then by their first module. */
function sortComponents(components: number[][]): number[][] {
  return components.sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** Modules no other module imports (through any import, type-only ones included). */
function findOrphans(graph: ImportGraph): string[] {
  const imported = new Uint8Array(graph.modules.length);
  const { edgeFrom, edgeTo } = graph;
  for (let e = 0; e < edgeFrom.length; e++) if (edgeFrom[e] !== edgeTo[e]) imported[edgeTo[e]] = 1;
  return graph.modules.filter((_, i) => imported[i] === 0);
}

/** The component of a module: its workspace package, else its folder at the given depth. */
export function componentFor(file: string, resolver: Resolver, workspaces: boolean, depth: number): { name: string; kind: 'package' | 'folder' } {
  if (workspaces) {
    const pkg = resolver.packageOf(file);
    if (pkg !== undefined && pkg.dir !== '') return { name: pkg.name, kind: 'package' };
  }
  const dirs = file.split('/').slice(0, -1);
  return { name: dirs.length === 0 ? '.' : dirs.slice(0, depth).join('/'), kind: 'folder' };
}

function assignComponents(modules: readonly string[], resolver: Resolver, options: GraphAnalysisOptions, adj: Adjacency): ComponentInfo {
  const byName = new Map<string, number>();
  const names: string[] = [];
  const kinds: Array<'package' | 'folder'> = [];
  // A module's component depends only on its folder, and the modules of a folder are next to each
  // other in the sorted list: looked up once per run of modules in one folder.
  const ofModule = new Array<number>(modules.length);
  let folder: string | undefined;
  let c = -1;
  for (let i = 0; i < modules.length; i++) {
    const file = modules[i];
    if (folder === undefined || !file.startsWith(folder) || file.indexOf('/', folder.length) >= 0) {
      folder = file.slice(0, file.lastIndexOf('/') + 1);
      const { name, kind } = componentFor(file, resolver, options.workspaces, options.depth);
      const known = byName.get(name);
      if (known === undefined) {
        c = names.length;
        byName.set(name, c);
        names.push(name);
        kinds.push(kind);
      } else c = known;
    }
    ofModule[i] = c;
  }
  const { metrics, edges } = componentMetrics(modules, ofModule, names, kinds, adj);
  // Components in a cycle with each other: strongly connected components of the component graph.
  const count = names.length;
  const offsets = new Int32Array(count + 1);
  const list: number[][] = Array.from({ length: count }, (_, c) => [...(edges.get(c)?.keys() ?? [])]);
  list.forEach((targets, c) => (offsets[c + 1] = offsets[c] + targets.length));
  const targets = Int32Array.from(list.flat());
  for (const component of stronglyConnectedComponents(count, { offsets, targets, edges: new Int32Array(targets.length) })) {
    for (const c of component) metrics[c].inCycle = true;
  }
  return { names, kinds, ofModule, metrics, edges };
}
