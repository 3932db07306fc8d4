import type { Resolution, Resolver } from '../resolve/resolver';
import { FLAG_ELIDED, FLAG_TYPE_ONLY, IMPORT_KINDS, type PackedImport, type ParsedSource } from '../parse/types';
import { FLAGS_SHIFT, INTS_PER_IMPORT, KIND_MASK, KIND_SHIFT, TAG_BUILTIN, TAG_EXTERNAL, TAG_MASK, TAG_MODULE, TAG_OUTSIDE, TAG_WORKSPACE_MODULE, type CachedImports } from './cached-imports';

const TYPE_IMPORT_KIND = IMPORT_KINDS.indexOf('type-import');
/** Module lookups by binary search before the path → index Map is built. */
const SEARCHES_BEFORE_INDEX = 64;

/** Edge flags. */
export const EDGE_RUNTIME = 1;
/** Found through workspace package mapping (absent with `--no-workspaces`). */
export const EDGE_WORKSPACE = 2;

export interface UnresolvedImport {
  from: string;
  specifier: string;
  line: number;
}

export interface ExternalImport {
  from: string;
  /** Package name, or `node:fs` for built-ins. */
  name: string;
  builtin: boolean;
  line: number;
  typeOnly: boolean;
}

/**
 * The import graph: modules by index, and one edge per (importer, imported) pair. An edge is a
 * run-time edge when at least one of its imports survives compilation (not `import type`, not
 * elided); otherwise it is type-only.
 */
export interface ImportGraph {
  modules: string[];
  index: Map<string, number>;
  edgeFrom: number[];
  edgeTo: number[];
  edgeFlags: number[];
  /** Line of the first run-time import of the edge (of the first import when type-only). */
  edgeLine: number[];
  unresolved: UnresolvedImport[];
  external: ExternalImport[];
  /** Imports of files that exist but are not analysed (JSON, CSS, excluded or outside `--src`). */
  outside: number;
  /** Files that did not parse, with the reason. */
  parseErrors: Array<{ file: string; line: number; message: string }>;
}

export interface BuildGraphOptions {
  /** Whether TypeScript keeps imports it would elide for this file (`verbatimModuleSyntax`). */
  keepsElidedImports?: (file: string) => boolean;
  /**
   * A file's imports with their resolutions known from an earlier run, for a file whose content is
   * unchanged; `index` is the file's module index. Its parse result's imports are then not read.
   * The object is read before the next call, so it may be one reused for every file.
   */
  cached?: (file: string, index: number) => CachedImports | undefined;
  /**
   * Receives each file it resolved (not those `cached` gave), to cache them: its imports, their
   * resolutions, and for each the index of the module it leads to (-1 for none).
   */
  record?: (file: string, index: number, imports: readonly PackedImport[], resolutions: readonly Resolution[], targets: Int32Array) => void;
}

/** Resolves every import of every module and builds the graph. `modules` should be sorted (as discovery lists them). */
export function buildGraph(modules: readonly string[], parsed: ReadonlyMap<string, ParsedSource>, resolver: Resolver, options: BuildGraphOptions = {}): ImportGraph {
  const list = [...modules];
  let index: Map<string, number> | undefined;
  const graph: ImportGraph = {
    modules: list,
    // Built when asked for: a run whose resolutions all come from the cache never needs it.
    get index(): Map<string, number> {
      if (index === undefined) {
        index = new Map();
        for (let i = 0; i < list.length; i++) index.set(list[i], i);
      }
      return index;
    },
    edgeFrom: [],
    edgeTo: [],
    edgeFlags: [],
    edgeLine: [],
    unresolved: [],
    external: [],
    outside: 0,
    parseErrors: [],
  };
  const edges = new EdgeCollector(graph);
  // A few lookups (a re-run that resolves one edited file) by binary search, as the list is sorted;
  // many (a cold run) through the index, built once.
  let lookups = 0;
  const moduleIndex = (path: string) => {
    const at = ++lookups <= SEARCHES_BEFORE_INDEX ? sortedIndexOf(list, path) : -1;
    return at >= 0 ? at : (graph.index.get(path) ?? -1);
  };
  for (let from = 0; from < modules.length; from++) {
    const file = modules[from];
    const result = parsed.get(file);
    if (result === undefined) continue;
    if (result.error) {
      graph.parseErrors.push({ file, line: result.error.line, message: result.error.message });
      continue;
    }
    // Flags that make an import type-only here: `import type` always, elided imports unless TypeScript keeps them.
    const typeOnlyFlags = options.keepsElidedImports?.(file) ? FLAG_TYPE_ONLY : FLAG_TYPE_ONLY | FLAG_ELIDED;
    const cached = options.cached?.(file, from);
    if (cached !== undefined) {
      edges.replay(file, from, cached, typeOnlyFlags);
      continue;
    }
    const imports = result.imports;
    const resolutions: Resolution[] = new Array<Resolution>(imports.length);
    const targets = new Int32Array(imports.length).fill(-1);
    const resolve = resolver.resolverFor(file);
    for (let i = 0; i < imports.length; i++) {
      // Read by index: destructuring runs the iterator protocol while this code is still cold.
      const packed = imports[i];
      const specifier = packed[0];
      const line = packed[3];
      const typeOnly = (packed[2] & typeOnlyFlags) !== 0 || packed[1] === TYPE_IMPORT_KIND;
      const resolution = (resolutions[i] = resolve(specifier));
      switch (resolution.kind) {
        case 'module': {
          const to = (targets[i] = resolution.index ?? moduleIndex(resolution.path));
          if (to >= 0) edges.add(from, to, typeOnly, resolution.via === 'workspace', line);
          break;
        }
        case 'external':
          graph.external.push({ from: file, name: resolution.name, builtin: resolution.builtin, line, typeOnly });
          break;
        case 'outside':
          graph.outside++;
          break;
        case 'unresolved':
          graph.unresolved.push({ from: file, specifier, line });
          break;
      }
    }
    options.record?.(file, from, imports, resolutions, targets);
  }
  return graph;
}

/** Position of a path in a sorted list (binary search over its first `end` entries), -1 when absent. */
export function sortedIndexOf(sorted: readonly string[], path: string, end = sorted.length): number {
  let lo = 0;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = sorted[mid];
    if (m === path) return mid;
    if (m < path) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * One edge per (importer, imported) pair, with the graph's other findings; modules are added
 * importer by importer. `replay` is the hot path of a re-run (every unchanged file), so it keeps
 * what it touches in locals and does the edge bookkeeping of `add` inline.
 */
class EdgeCollector {
  readonly graph: ImportGraph;
  /** `seenFrom[to] === from` means the edge from → to exists, at `edgeAt[to]`. */
  readonly seenFrom: Int32Array;
  readonly edgeAt: Int32Array;

  constructor(graph: ImportGraph) {
    this.graph = graph;
    this.seenFrom = new Int32Array(graph.modules.length).fill(-1);
    this.edgeAt = new Int32Array(graph.modules.length);
  }

  add(from: number, to: number, typeOnly: boolean, workspace: boolean, line: number): void {
    const graph = this.graph;
    const viaWorkspace = workspace ? EDGE_WORKSPACE : 0;
    if (this.seenFrom[to] !== from) {
      this.seenFrom[to] = from;
      this.edgeAt[to] = graph.edgeFrom.length;
      graph.edgeFrom.push(from);
      graph.edgeTo.push(to);
      graph.edgeFlags.push((typeOnly ? 0 : EDGE_RUNTIME) | viaWorkspace);
      graph.edgeLine.push(line);
      return;
    }
    const e = this.edgeAt[to];
    if (!typeOnly && (graph.edgeFlags[e] & EDGE_RUNTIME) === 0) {
      // The first run-time import is the one to point at: it is what makes the edge real.
      graph.edgeFlags[e] |= EDGE_RUNTIME;
      graph.edgeLine[e] = line;
    }
    graph.edgeFlags[e] |= viaWorkspace;
  }

  /** Adds a file's imports as the cache recorded them (see `CachedImports`): the same as resolving them again. */
  replay(file: string, from: number, cached: CachedImports, typeOnlyFlags: number): void {
    const { graph, seenFrom, edgeAt } = this;
    const { edgeFrom, edgeTo, edgeFlags, edgeLine } = graph;
    const { data, text, textStart } = cached;
    const end = cached.start + cached.count * INTS_PER_IMPORT;
    for (let pos = cached.start; pos < end; pos += INTS_PER_IMPORT) {
      const head = data[pos];
      const tag = head & TAG_MASK;
      const typeOnly = ((head >> FLAGS_SHIFT) & typeOnlyFlags) !== 0 || ((head >> KIND_SHIFT) & KIND_MASK) === TYPE_IMPORT_KIND;
      const line = data[pos + 3];
      if (tag === TAG_MODULE || tag === TAG_WORKSPACE_MODULE) {
        const to = data[pos + 1];
        const viaWorkspace = tag === TAG_WORKSPACE_MODULE ? EDGE_WORKSPACE : 0;
        if (seenFrom[to] !== from) {
          seenFrom[to] = from;
          edgeAt[to] = edgeFrom.length;
          edgeFrom.push(from);
          edgeTo.push(to);
          edgeFlags.push((typeOnly ? 0 : EDGE_RUNTIME) | viaWorkspace);
          edgeLine.push(line);
        } else {
          const e = edgeAt[to];
          if (!typeOnly && (edgeFlags[e] & EDGE_RUNTIME) === 0) {
            edgeFlags[e] |= EDGE_RUNTIME;
            edgeLine[e] = line;
          }
          edgeFlags[e] |= viaWorkspace;
        }
      } else if (tag === TAG_OUTSIDE) {
        graph.outside++;
      } else {
        const at = textStart + data[pos + 1];
        const name = text.slice(at, at + data[pos + 2]);
        if (tag === TAG_BUILTIN || tag === TAG_EXTERNAL) graph.external.push({ from: file, name, builtin: tag === TAG_BUILTIN, line, typeOnly });
        else graph.unresolved.push({ from: file, specifier: name, line });
      }
    }
  }
}

/** Compressed adjacency (CSR) of the edges `keep` accepts: successors of `v` are `targets[offsets[v]..offsets[v+1])`. */
export interface Adjacency {
  offsets: Int32Array;
  targets: Int32Array;
  /** Edge index of each entry in `targets`. */
  edges: Int32Array;
}

export function adjacency(graph: ImportGraph, includeTypeOnly: boolean): Adjacency {
  const n = graph.modules.length;
  const m = graph.edgeFrom.length;
  const counts = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) if (includeTypeOnly || graph.edgeFlags[e] & EDGE_RUNTIME) counts[graph.edgeFrom[e] + 1]++;
  for (let v = 0; v < n; v++) counts[v + 1] += counts[v];
  const offsets = counts;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]);
  const edges = new Int32Array(offsets[n]);
  for (let e = 0; e < m; e++) {
    if (!(includeTypeOnly || graph.edgeFlags[e] & EDGE_RUNTIME)) continue;
    const slot = fill[graph.edgeFrom[e]]++;
    targets[slot] = graph.edgeTo[e];
    edges[slot] = e;
  }
  return { offsets, targets, edges };
}

/**
 * The adjacency of all edges and that of run-time edges, in one pass over edges grouped by importer
 * (as `buildGraph` adds them); the same as two calls of `adjacency`.
 */
export function adjacencies(graph: ImportGraph): { all: Adjacency; runtime: Adjacency } {
  const n = graph.modules.length;
  const m = graph.edgeFrom.length;
  const { edgeFrom, edgeTo, edgeFlags } = graph;
  let runtimeCount = 0;
  for (let e = 0; e < m; e++) runtimeCount += edgeFlags[e] & EDGE_RUNTIME;
  const all: Adjacency = { offsets: new Int32Array(n + 1), targets: new Int32Array(m), edges: new Int32Array(m) };
  const runtime: Adjacency = { offsets: new Int32Array(n + 1), targets: new Int32Array(runtimeCount), edges: new Int32Array(runtimeCount) };
  let v = 0;
  let r = 0;
  for (let e = 0; e < m; e++) {
    const from = edgeFrom[e];
    // Not grouped by importer after all (a graph built elsewhere): the general way.
    if (from < v) return { all: adjacency(graph, true), runtime: adjacency(graph, false) };
    for (; v < from; v++) {
      all.offsets[v + 1] = e;
      runtime.offsets[v + 1] = r;
    }
    all.targets[e] = edgeTo[e];
    all.edges[e] = e;
    if (edgeFlags[e] & EDGE_RUNTIME) {
      runtime.targets[r] = edgeTo[e];
      runtime.edges[r++] = e;
    }
  }
  for (; v < n; v++) {
    all.offsets[v + 1] = m;
    runtime.offsets[v + 1] = r;
  }
  return { all, runtime };
}

/** Line of the import from module v to module w (over the edges of `adj`), if there is one. */
export function importLine(graph: ImportGraph, adj: Adjacency, v: number, w: number): number | undefined {
  for (let k = adj.offsets[v]; k < adj.offsets[v + 1]; k++) if (adj.targets[k] === w) return graph.edgeLine[adj.edges[k]];
  return undefined;
}
