import type { ArchitectureAnalysis } from '../analyze';
import type { ArchitectData } from '../data';
import { EDGE_RUNTIME, EDGE_WORKSPACE } from '../graph/build-graph';

/** Part of the graph part's cache key: a change to how it is written must not reuse old text. */
const SECTION_FORMAT = 1;

/**
 * The JSON artifact: the mode's data plus the whole graph, for other tools. Edges are
 * `[from, to, line, runtime, viaWorkspace]` with module indexes; module metrics are
 * `[fanIn, fanOut, instability]` over the analysed edges.
 *
 * The graph part is most of it; with the cache on, the previous run's text is reused when the
 * graph is the same (the analysis key), as it is after an edit that changes no import.
 */
export function graphJson(a: ArchitectureAnalysis, data: ArchitectData): string {
  // The graph part is a function of what the analysis key covers (modules, edges, components, metrics).
  const graph = a.renderCache !== undefined && a.analysisKey !== undefined ? a.renderCache.get(`${SECTION_FORMAT}:${a.analysisKey}`, () => graphSectionJson(a)) : graphSectionJson(a);
  const dataText = JSON.stringify(data);
  // The text of `{ ...data, graph }`.
  return `${dataText.slice(0, -1)}${dataText === '{}' ? '' : ','}"graph":${graph}}\n`;
}

/** The `graph` part of the artifact. */
export function graphSectionJson(a: ArchitectureAnalysis): string {
  const { graph } = a;
  const edges = graph.edgeFrom.map((from, e) => [from, graph.edgeTo[e], graph.edgeLine[e], graph.edgeFlags[e] & EDGE_RUNTIME ? 1 : 0, graph.edgeFlags[e] & EDGE_WORKSPACE ? 1 : 0]);
  return JSON.stringify({
    modules: graph.modules,
    component: a.components.ofModule.map((c) => a.components.names[c]),
    edges,
    moduleMetrics: a.modules.map((m) => [m.fanIn, m.fanOut, m.instability]),
  });
}
