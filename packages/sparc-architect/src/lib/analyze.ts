import { performance } from 'node:perf_hooks';
import type { WorkerPool } from '@sparc/batch-core';
import { ParseCache, type CacheStats } from './cache/parse-cache';
import { ResolutionCache, resolutionContext } from './cache/resolution-cache';
import { discoverFiles, type DiscoveredFile } from './discovery/discover';
import { adjacency, buildGraph, EDGE_RUNTIME, EDGE_WORKSPACE, type Adjacency, type ImportGraph } from './graph/build-graph';
import { componentMetrics, moduleMetrics, type ComponentMetrics, type ModuleMetrics } from './graph/metrics';
import { countElementaryCycles, cycleExamples, type CycleCount } from './graph/cycles';
import { stronglyConnectedComponents } from './graph/scc';
import { parseFiles, type ParseFilesStats } from './parse/parse-files';
import type { ParserChoice } from './parse/parse-source';
import { planModules, type PlannedModuleInput, type PlannedModuleReport } from './plan/planned';
import { Resolver } from './resolve/resolver';
import { checkRules, type RulesFile, type Violation } from './rules/rules';

export type TypeEdges = 'include' | 'exclude';

export interface AnalyzeOptions {
  /** Absolute workspace root; every path in the result is relative to it. */
  root: string;
  /** Folders to analyse, relative to the root. @default ['.'] */
  src?: string[];
  include?: string[];
  exclude?: string[];
  /** A tsconfig for every file, relative to the root. @default each file's nearest tsconfig.json */
  tsconfig?: string;
  /**
   * Whether type-only imports (`import type`, and imports TypeScript elides because their bindings
   * are used only as types) count as edges for cycles, metrics and rules.
   * @default 'exclude' (they vanish at run time)
   */
  typeEdges?: TypeEdges;
  /** Resolve imports of workspace packages to their sources. @default true */
  workspaces?: boolean;
  /** Reuse parse results from `.sparc/cache/architect/`. @default true */
  cache?: boolean;
  /** Folder depth of a component when a module is in no workspace package. @default 2 */
  componentDepth?: number;
  rules?: RulesFile;
  /** @default 'auto' (the scanner, with oxc for what it cannot follow) */
  parser?: ParserChoice;
  /** Honour .gitignore files. @default true */
  gitignore?: boolean;
  /** Modules the spec plans, to place and check. */
  planned?: PlannedModuleInput[];
  /** Most example cycles reported. @default 50 */
  maxCycleExamples?: number;
}

export interface AnalyzeRuntime {
  /** The worker pool to parse in; without one, a pool is created when needed and destroyed after. */
  pool?: () => WorkerPool;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /** See ParseFilesOptions.inlineBytes. */
  inlineBytes?: number;
}

export interface ComponentInfo {
  names: string[];
  kinds: Array<'package' | 'folder'>;
  /** Component index of each module. */
  ofModule: number[];
  metrics: ComponentMetrics[];
  /** Import edges between components (from → to → count), over the edges cycles are judged on. */
  edges: Map<number, Map<number, number>>;
}

export interface ArchitectureAnalysis {
  root: string;
  typeEdges: TypeEdges;
  workspaces: boolean;
  componentDepth: number;
  files: DiscoveredFile[];
  graph: ImportGraph;
  /** The edges cycles, metrics and components are computed on (per `typeEdges`). */
  adj: Adjacency;
  /** Strongly connected components with a cycle, per `typeEdges`. */
  sccs: number[][];
  /** The same with the other `typeEdges` choice, to say what type-only imports change. */
  sccsOtherMode: number[][];
  examples: number[][];
  cycleCount: CycleCount;
  modules: ModuleMetrics[];
  components: ComponentInfo;
  orphans: string[];
  violations: Violation[];
  planned: PlannedModuleReport[];
  parse: ParseFilesStats;
  cache: CacheStats;
  /** Files whose imports' resolutions were reused from the last run. */
  resolutionsReused: number;
  workspacePackages: number;
  /** Problems in configuration files met while resolving. */
  configProblems: string[];
  timingsMs: { discover: number; parse: number; resolve: number; analyse: number };
}

/**
 * The whole analysis: discover files, parse them (cache, then the scanner inline or in the worker
 * pool), resolve imports, build the graph, then cycles, metrics, components, rules and planned modules.
 */
export async function analyzeArchitecture(options: AnalyzeOptions, runtime: AnalyzeRuntime = {}): Promise<ArchitectureAnalysis> {
  const root = options.root;
  const typeEdges = options.typeEdges ?? 'exclude';
  const workspaces = options.workspaces !== false;
  const depth = options.componentDepth ?? 2;
  const t0 = performance.now();
  runtime.progress?.('discovering files');
  const files = await discoverFiles({ root, src: options.src, include: options.include, exclude: options.exclude, gitignore: options.gitignore, signal: runtime.signal });
  const t1 = performance.now();

  let ownPool: WorkerPool | undefined;
  const pool = runtime.pool ?? (() => (ownPool ??= loadWorkerPool().createWorkerPool()));
  const cache = await ParseCache.open(root, options.cache !== false);
  let parsed;
  try {
    runtime.progress?.(`parsing ${files.length} files`);
    parsed = await parseFiles(files, { root, parser: options.parser ?? 'auto', cache, pool, signal: runtime.signal, progress: runtime.progress, inlineBytes: runtime.inlineBytes });
  } finally {
    await ownPool?.destroy();
  }
  const paths = files.map((f) => f.path).filter((p) => !parsed.unreadable.has(p));
  await cache.save(new Set(paths));
  const t2 = performance.now();

  runtime.progress?.('resolving imports');
  const moduleSet = new Set(paths);
  const resolver = new Resolver({ root, modules: moduleSet, tsconfig: options.tsconfig, workspaces });
  const resolutions = await ResolutionCache.open(root, options.cache !== false);
  const context = resolutionContext({ tsconfig: options.tsconfig, workspaces }, paths, resolver);
  const reuse = resolutions.prepare(root, context, paths);
  let reusedAll = reuse;
  let reusedFiles = 0;
  const graph = buildGraph(paths, parsed.results, resolver, {
    keepsElidedImports: (file) => resolver.tsconfigFor(file)?.verbatimModuleSyntax === true,
    cached: (file) => {
      const known = resolutions.get(file, cache.keyOf(file));
      if (known === undefined) reusedAll = false;
      else reusedFiles++;
      return known;
    },
    record: (file, list) => resolutions.record(file, cache.keyOf(file), list),
  });
  await resolutions.save(context, resolver, reusedAll);
  for (const [file, message] of parsed.unreadable) graph.parseErrors.push({ file, line: 0, message: `cannot read: ${message}` });
  const t3 = performance.now();

  runtime.progress?.('analysing the graph');
  const n = graph.modules.length;
  const adj = adjacency(graph, typeEdges === 'include');
  const other = adjacency(graph, typeEdges !== 'include');
  const sccs = sortComponents(stronglyConnectedComponents(n, adj));
  const sccsOtherMode = sortComponents(stronglyConnectedComponents(n, other));
  const examples = cycleExamples(sccs, adj, n, { total: options.maxCycleExamples ?? 50 });
  const cycleCount = countElementaryCycles(sccs, adj, n);
  const modules = moduleMetrics(n, adj);
  const components = assignComponents(graph.modules, resolver, workspaces, depth, adj);
  const orphans = findOrphans(graph);
  const violations = checkRules(graph, options.rules ?? { forbidden: [] });
  const componentNameOf = (file: string) => componentFor(file, resolver, workspaces, depth).name;
  const planned = options.planned && options.planned.length > 0 ? planModules(options.planned, { modules: graph.modules, index: graph.index, adj, resolver, rules: options.rules ?? { forbidden: [] }, componentOf: componentNameOf }) : [];
  const t4 = performance.now();

  return {
    root,
    typeEdges,
    workspaces,
    componentDepth: depth,
    files,
    graph,
    adj,
    sccs,
    sccsOtherMode,
    examples,
    cycleCount,
    modules,
    components,
    orphans,
    violations,
    planned,
    parse: parsed.stats,
    cache: cache.stats,
    resolutionsReused: reusedFiles,
    workspacePackages: resolver.packages.size,
    configProblems: [...new Set(resolver.problems)],
    timingsMs: { discover: round(t1 - t0), parse: round(t2 - t1), resolve: round(t3 - t2), analyse: round(t4 - t3) },
  };
}

/** piscina and the pool's options load only when a run needs worker threads (most never do). */
function loadWorkerPool(): typeof import('@sparc/batch-core/dist/lib/pool/worker-pool') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@sparc/batch-core/dist/lib/pool/worker-pool') as typeof import('@sparc/batch-core/dist/lib/pool/worker-pool');
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Largest components first, then by their first module. */
function sortComponents(components: number[][]): number[][] {
  return components.sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** Modules no other module imports (through any import, type-only ones included). */
function findOrphans(graph: ImportGraph): string[] {
  const imported = new Uint8Array(graph.modules.length);
  for (let e = 0; e < graph.edgeFrom.length; e++) if (graph.edgeFrom[e] !== graph.edgeTo[e]) imported[graph.edgeTo[e]] = 1;
  return graph.modules.filter((_, i) => imported[i] === 0);
}

export function componentFor(file: string, resolver: Resolver, workspaces: boolean, depth: number): { name: string; kind: 'package' | 'folder' } {
  if (workspaces) {
    const pkg = resolver.packageOf(file);
    if (pkg !== undefined && pkg.dir !== '') return { name: pkg.name, kind: 'package' };
  }
  const dirs = file.split('/').slice(0, -1);
  return { name: dirs.length === 0 ? '.' : dirs.slice(0, depth).join('/'), kind: 'folder' };
}

function assignComponents(modules: readonly string[], resolver: Resolver, workspaces: boolean, depth: number, adj: Adjacency): ComponentInfo {
  const byName = new Map<string, number>();
  const names: string[] = [];
  const kinds: Array<'package' | 'folder'> = [];
  const ofModule = modules.map((file) => {
    const { name, kind } = componentFor(file, resolver, workspaces, depth);
    let c = byName.get(name);
    if (c === undefined) {
      c = names.length;
      byName.set(name, c);
      names.push(name);
      kinds.push(kind);
    }
    return c;
  });
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

/** Counts of edges by kind, for the report. */
export function edgeCounts(graph: ImportGraph): { total: number; runtime: number; typeOnly: number; workspace: number } {
  let runtimeEdges = 0;
  let workspace = 0;
  for (const flags of graph.edgeFlags) {
    if (flags & EDGE_RUNTIME) runtimeEdges++;
    if (flags & EDGE_WORKSPACE) workspace++;
  }
  return { total: graph.edgeFlags.length, runtime: runtimeEdges, typeOnly: graph.edgeFlags.length - runtimeEdges, workspace };
}
