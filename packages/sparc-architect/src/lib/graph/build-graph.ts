import type { Resolution, Resolver } from '../resolve/resolver';
import { FLAG_ELIDED, FLAG_TYPE_ONLY, IMPORT_KINDS, type ParsedSource } from '../parse/types';

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
  /** Resolutions of a file's imports known from an earlier run (one per import, in order). */
  cached?: (file: string) => readonly Resolution[] | undefined;
  /** Receives each file's resolutions, to cache them. */
  record?: (file: string, resolutions: readonly Resolution[]) => void;
}

/** Resolves every import of every module and builds the graph. `modules` must be sorted. */
export function buildGraph(modules: readonly string[], parsed: ReadonlyMap<string, ParsedSource>, resolver: Resolver, options: BuildGraphOptions = {}): ImportGraph {
  const index = new Map<string, number>();
  modules.forEach((m, i) => index.set(m, i));
  const graph: ImportGraph = { modules: [...modules], index, edgeFrom: [], edgeTo: [], edgeFlags: [], edgeLine: [], unresolved: [], external: [], outside: 0, parseErrors: [] };
  const n = modules.length;
  // Edges of the module being read, by target: `seenFrom[to] === from` means edge `edgeAt[to]` exists.
  const seenFrom = new Int32Array(n).fill(-1);
  const edgeAt = new Int32Array(n);
  for (let from = 0; from < n; from++) {
    const file = modules[from];
    const result = parsed.get(file);
    if (result === undefined) continue;
    if (result.error) {
      graph.parseErrors.push({ file, line: result.error.line, message: result.error.message });
      continue;
    }
    const keepElided = options.keepsElidedImports?.(file) ?? false;
    const known = options.cached?.(file);
    const cached = known !== undefined && known.length === result.imports.length ? known : undefined;
    const resolutions: Resolution[] = [];
    for (let i = 0; i < result.imports.length; i++) {
      const [specifier, kind, flags, line] = result.imports[i];
      const typeOnly = (flags & FLAG_TYPE_ONLY) !== 0 || (!keepElided && (flags & FLAG_ELIDED) !== 0) || IMPORT_KINDS[kind] === 'type-import';
      const resolution = cached !== undefined ? cached[i] : resolver.resolve(file, specifier);
      resolutions.push(resolution);
      switch (resolution.kind) {
        case 'module': {
          const to = resolution.index ?? index.get(resolution.path);
          if (to === undefined) break;
          const workspace = resolution.via === 'workspace' ? EDGE_WORKSPACE : 0;
          if (seenFrom[to] !== from) {
            seenFrom[to] = from;
            edgeAt[to] = graph.edgeFrom.length;
            graph.edgeFrom.push(from);
            graph.edgeTo.push(to);
            graph.edgeFlags.push((typeOnly ? 0 : EDGE_RUNTIME) | workspace);
            graph.edgeLine.push(line);
            break;
          }
          const e = edgeAt[to];
          if (!typeOnly && (graph.edgeFlags[e] & EDGE_RUNTIME) === 0) {
            // The first run-time import is the one to point at: it is what makes the edge real.
            graph.edgeFlags[e] |= EDGE_RUNTIME;
            graph.edgeLine[e] = line;
          }
          graph.edgeFlags[e] |= workspace;
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
    options.record?.(file, resolutions);
  }
  return graph;
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

/** Line of the import from module v to module w (over the edges of `adj`), if there is one. */
export function importLine(graph: ImportGraph, adj: Adjacency, v: number, w: number): number | undefined {
  for (let k = adj.offsets[v]; k < adj.offsets[v + 1]; k++) if (adj.targets[k] === w) return graph.edgeLine[adj.edges[k]];
  return undefined;
}
