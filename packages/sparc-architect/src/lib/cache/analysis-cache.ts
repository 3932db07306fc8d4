import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { GraphAnalysis } from '../graph/graph-analysis';
import type { ComponentMetrics, ModuleMetrics } from '../graph/metrics';
import { CorruptCacheError, cutText, decodePacked, encodePacked, IntList, type DecodedSections } from './packed-file';
import { CACHE_DIR } from '../cache-dir';
import { writeFileAtomic } from './write-atomic';

export const ANALYSIS_CACHE_FILE = 'analysis.bin';
const KIND = 'ANLS';
const FORMAT = 1;

/**
 * The graph analysis of the last run (cycles, metrics, components, orphans) under the key of the
 * graph it was made from (see `graphAnalysisKey`). A re-run whose graph is the same (an edit that
 * changes no import, a touched file) takes it instead of analysing again.
 */
export class AnalysisCache {
  readonly enabled: boolean;
  readonly file: string;
  readonly #loaded: DecodedSections | undefined;

  private constructor(file: string, enabled: boolean, loaded: DecodedSections | undefined) {
    this.file = file;
    this.enabled = enabled;
    this.#loaded = loaded;
  }

  static async open(root: string, enabled: boolean): Promise<AnalysisCache> {
    const file = path.join(root, CACHE_DIR, ANALYSIS_CACHE_FILE);
    if (!enabled) return new AnalysisCache(file, false, undefined);
    let loaded: DecodedSections | undefined;
    try {
      loaded = decodePacked(await fsp.readFile(file), KIND, FORMAT);
    } catch {
      loaded = undefined;
    }
    return new AnalysisCache(file, true, loaded);
  }

  /** The analysis saved under this key, if it is the one loaded; `modules` are the graph's (orphans are kept by index). */
  get(key: string, modules: readonly string[]): GraphAnalysis | undefined {
    if (this.#loaded?.texts[0] !== key) return undefined;
    try {
      return decodeAnalysis(this.#loaded, modules);
    } catch {
      return undefined;
    }
  }

  async save(key: string, analysis: GraphAnalysis, modules: readonly string[]): Promise<void> {
    if (this.enabled && this.#loaded?.texts[0] !== key) await writeFileAtomic(this.file, encodeAnalysis(key, analysis, modules));
  }
}

/**
 * Sections: the key and the component names (texts); adjacency (offsets, targets, edges); the
 * three lists of module lists (cycles, cycles of the other mode, examples) as count, then length
 * and members of each; cycle count; fan-in, fan-out and component of each module; per component
 * its kind, size, fan-in, fan-out, whether in a cycle and its `dependsOn` (count, then target and
 * edges); the component edges as (from, to, count) in map order; orphans by module index;
 * instability of each module and of each component (floats).
 */
function encodeAnalysis(key: string, a: GraphAnalysis, modules: readonly string[]): Buffer {
  const lists = new IntList();
  for (const group of [a.sccs, a.sccsOtherMode, a.examples]) {
    lists.push(group.length);
    for (const list of group) {
      lists.push(list.length);
      for (const v of list) lists.push(v);
    }
  }
  const n = a.modules.length;
  const perModule = new Int32Array(3 * n);
  const instability = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    perModule[3 * v] = a.modules[v].fanIn;
    perModule[3 * v + 1] = a.modules[v].fanOut;
    perModule[3 * v + 2] = a.components.ofModule[v];
    instability[v] = a.modules[v].instability;
  }
  const { names, kinds, metrics, edges } = a.components;
  const indexOfName = new Map(names.map((name, c) => [name, c]));
  const perComponent = new IntList();
  for (const c of metrics) {
    perComponent.push(c.kind === 'package' ? 1 : 0);
    perComponent.push(c.modules);
    perComponent.push(c.fanIn);
    perComponent.push(c.fanOut);
    perComponent.push(c.inCycle ? 1 : 0);
    perComponent.push(c.dependsOn.length);
    for (const d of c.dependsOn) {
      perComponent.push(indexOfName.get(d.name) ?? -1);
      perComponent.push(d.edges);
    }
  }
  const componentEdges = new IntList();
  for (const [from, row] of edges) {
    for (const [to, count] of row) {
      componentEdges.push(from);
      componentEdges.push(to);
      componentEdges.push(count);
    }
  }
  const orphanSet = new Set(a.orphans);
  const orphans = new IntList();
  modules.forEach((m, v) => orphanSet.has(m) && orphans.push(v));
  return encodePacked(KIND, FORMAT, {
    floats: [instability, Float64Array.from(metrics, (c) => c.instability)],
    ints: [
      a.adj.offsets,
      a.adj.targets,
      a.adj.edges,
      lists.toArray(),
      Int32Array.of(a.cycleCount.count, a.cycleCount.complete ? 1 : 0),
      perModule,
      Int32Array.from(names, (name) => name.length),
      Int32Array.from(kinds, (kind) => (kind === 'package' ? 1 : 0)),
      perComponent.toArray(),
      componentEdges.toArray(),
      orphans.toArray(),
    ],
    texts: [key, names.join('')],
  });
}

function decodeAnalysis({ floats, ints, texts }: DecodedSections, modules: readonly string[]): GraphAnalysis {
  if (floats.length !== 2 || ints.length !== 11 || texts.length !== 2) throw new CorruptCacheError('unexpected analysis sections');
  const [instability, componentInstability] = floats;
  const [offsets, targets, edgeIndex, lists, cycleCount, perModule, nameLens, kindBits, perComponent, componentEdges, orphans] = ints;
  const n = modules.length;
  if (offsets.length !== n + 1 || perModule.length !== 3 * n || instability.length !== n) throw new CorruptCacheError('analysis of another module list');

  let at = 0;
  const readGroup = (): number[][] => {
    const group: number[][] = new Array(lists[at++]);
    for (let g = 0; g < group.length; g++) {
      const list = new Array<number>(lists[at++]);
      for (let k = 0; k < list.length; k++) list[k] = lists[at++];
      group[g] = list;
    }
    return group;
  };
  const sccs = readGroup();
  const sccsOtherMode = readGroup();
  const examples = readGroup();

  const moduleMetrics: ModuleMetrics[] = new Array(n);
  const ofModule = new Array<number>(n);
  for (let v = 0; v < n; v++) {
    moduleMetrics[v] = { fanIn: perModule[3 * v], fanOut: perModule[3 * v + 1], instability: instability[v] };
    ofModule[v] = perModule[3 * v + 2];
  }

  const names = cutText(texts[1], nameLens);
  const kinds = Array.from(kindBits, (bit): 'package' | 'folder' => (bit === 1 ? 'package' : 'folder'));
  const metrics: ComponentMetrics[] = [];
  at = 0;
  for (let c = 0; c < names.length; c++) {
    const [kind, size, fanIn, fanOut, inCycle, dependsOnCount] = perComponent.subarray(at, at + 6);
    at += 6;
    const dependsOn: ComponentMetrics['dependsOn'] = [];
    for (let d = 0; d < dependsOnCount; d++, at += 2) dependsOn.push({ name: names[perComponent[at]], edges: perComponent[at + 1] });
    metrics.push({ name: names[c], kind: kind === 1 ? 'package' : 'folder', modules: size, fanIn, fanOut, instability: componentInstability[c], dependsOn, inCycle: inCycle === 1 });
  }
  const edges = new Map<number, Map<number, number>>();
  for (let k = 0; k < componentEdges.length; k += 3) {
    let row = edges.get(componentEdges[k]);
    if (row === undefined) edges.set(componentEdges[k], (row = new Map()));
    row.set(componentEdges[k + 1], componentEdges[k + 2]);
  }
  return {
    adj: { offsets, targets, edges: edgeIndex },
    sccs,
    sccsOtherMode,
    examples,
    cycleCount: { count: cycleCount[0], complete: cycleCount[1] === 1 },
    modules: moduleMetrics,
    components: { names, kinds, ofModule, metrics, edges },
    orphans: Array.from(orphans, (v) => modules[v]),
  };
}
