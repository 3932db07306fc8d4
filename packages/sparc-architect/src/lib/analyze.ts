import { performance } from 'node:perf_hooks';
import type { WorkerPool } from '@sparc/batch-core';
import type { CacheStats } from './cache/parse-cache';
import type { CacheProblem, RunCaches } from './cache/run-caches';
import type { TextCache } from './cache/text-cache';
import { discoverFiles, type DiscoveredFile } from './discovery/discover';
import { buildGraph, EDGE_RUNTIME, EDGE_WORKSPACE, type ImportGraph } from './graph/build-graph';
import { analyseGraph, componentFor, graphAnalysisKey, type GraphAnalysis } from './graph/graph-analysis';
import { parseFiles, type ParseFilesStats } from './parse/parse-files';
import type { ParserChoice } from './parse/parse-source';
import { planModules, type PlannedModuleInput, type PlannedModuleReport } from './plan/planned';
import { Resolver } from './resolve/resolver';
import { checkRules, type RulesFile, type Violation } from './rules/rules';

export { componentFor, type ComponentInfo } from './graph/graph-analysis';

export type TypeEdges = 'include' | 'exclude';

/** The graph part of the JSON artifact of the last run (see graphJson). */
const GRAPH_TEXT_CACHE_FILE = 'graph-json.bin';

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

/** `sccsOtherMode` says what type-only imports change. */
export interface ArchitectureAnalysis extends GraphAnalysis {
  root: string;
  typeEdges: TypeEdges;
  workspaces: boolean;
  componentDepth: number;
  files: DiscoveredFile[];
  graph: ImportGraph;
  violations: Violation[];
  planned: PlannedModuleReport[];
  parse: ParseFilesStats;
  cache: CacheStats;
  /** With the cache on: a digest of the graph and of the options its analysis depends on (see graphAnalysisKey). */
  analysisKey?: string;
  /** With the cache on: rendered artifact text of the last run, reused when its analysis key is the same. */
  renderCache?: TextCache;
  /** Files whose imports' resolutions were reused from the last run. */
  resolutionsReused: number;
  workspacePackages: number;
  /** Problems in configuration files met while resolving. */
  configProblems: string[];
  /**
   * Caches that could not be written (the run goes on without them). Grows while the reports are
   * written, since the rendered-graph cache is written then.
   */
  cacheProblems: CacheProblem[];
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
  // The caches are read (off the main thread) while the files are listed.
  const opening = options.cache !== false ? loadRunCaches().open(root, GRAPH_TEXT_CACHE_FILE) : undefined;
  runtime.progress?.('discovering files');
  const files = await discoverFiles({ root, src: options.src, include: options.include, exclude: options.exclude, gitignore: options.gitignore, signal: runtime.signal });
  const t1 = performance.now();

  let ownPool: WorkerPool | undefined;
  const pool = runtime.pool ?? (() => (ownPool ??= loadWorkerPool().createWorkerPool()));
  const caches = await opening;
  let parsed;
  try {
    runtime.progress?.(`parsing ${files.length} files`);
    parsed = await parseFiles(files, { root, parser: options.parser ?? 'auto', cache: caches?.parse, pool, signal: runtime.signal, progress: runtime.progress, inlineBytes: runtime.inlineBytes });
  } finally {
    await ownPool?.destroy();
  }
  const paths = parsed.unreadable.size === 0 ? files.map((f) => f.path) : files.map((f) => f.path).filter((p) => !parsed.unreadable.has(p));
  const moduleSet = new Set(paths);
  await caches?.saveParse();
  const t2 = performance.now();

  runtime.progress?.('resolving imports');
  const resolver = new Resolver({ root, modules: moduleSet, tsconfig: options.tsconfig, workspaces });
  const reuse = caches?.resolutionReuse(root, { tsconfig: options.tsconfig, workspaces }, paths, resolver);
  const graph = buildGraph(paths, parsed.results, resolver, {
    keepsElidedImports: (file) => resolver.tsconfigFor(file)?.verbatimModuleSyntax === true,
    cached: reuse?.cached,
    record: reuse?.record,
  });
  await reuse?.save();
  for (const [file, message] of parsed.unreadable) graph.parseErrors.push({ file, line: 0, message: `cannot read: ${message}` });
  const t3 = performance.now();

  runtime.progress?.('analysing the graph');
  // The same graph (and options) as the last run: the same analysis.
  const analysisOptions = { typeEdges, workspaces, depth, maxCycleExamples: options.maxCycleExamples ?? 50 };
  const analysisKey = caches !== undefined ? graphAnalysisKey(graph, resolver, analysisOptions) : undefined;
  let analysed = caches !== undefined && analysisKey !== undefined ? caches.analysis.get(analysisKey, graph.modules) : undefined;
  if (analysed === undefined) {
    analysed = analyseGraph(graph, resolver, analysisOptions);
    if (caches !== undefined && analysisKey !== undefined) await caches.saveAnalysis(analysisKey, analysed, graph.modules);
  }
  const { adj, sccs, sccsOtherMode, examples, cycleCount, modules, components, orphans } = analysed;
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
    // Without the cache, every file parsed is a miss.
    cache: caches?.parse.stats ?? { statHits: 0, hashHits: 0, misses: parsed.stats.parsed },
    analysisKey,
    renderCache: caches?.render,
    resolutionsReused: reuse?.reused ?? 0,
    workspacePackages: resolver.packages.size,
    configProblems: [...new Set(resolver.problems)],
    cacheProblems: caches?.problems ?? [],
    timingsMs: { discover: round(t1 - t0), parse: round(t2 - t1), resolve: round(t3 - t2), analyse: round(t4 - t3) },
  };
}

/** The caches and their file formats load only for a run that keeps them. */
function loadRunCaches(): typeof RunCaches {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./cache/run-caches') as typeof import('./cache/run-caches')).RunCaches;
}

/** piscina and the pool's options load only when a run needs worker threads (most never do). */
function loadWorkerPool(): typeof import('@sparc/batch-core/dist/lib/pool/worker-pool') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@sparc/batch-core/dist/lib/pool/worker-pool') as typeof import('@sparc/batch-core/dist/lib/pool/worker-pool');
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Counts of edges by kind, for the report. */
export function edgeCounts(graph: ImportGraph): { total: number; runtime: number; typeOnly: number; workspace: number } {
  let runtimeEdges = 0;
  let workspace = 0;
  const edgeFlags = graph.edgeFlags;
  for (let e = 0; e < edgeFlags.length; e++) {
    if (edgeFlags[e] & EDGE_RUNTIME) runtimeEdges++;
    if (edgeFlags[e] & EDGE_WORKSPACE) workspace++;
  }
  return { total: graph.edgeFlags.length, runtime: runtimeEdges, typeOnly: graph.edgeFlags.length - runtimeEdges, workspace };
}
