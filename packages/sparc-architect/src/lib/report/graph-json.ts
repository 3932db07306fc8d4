import type { ArchitectureAnalysis } from '../analyze';
import type { ArchitectData } from '../data';
import { EDGE_RUNTIME, EDGE_WORKSPACE } from '../graph/build-graph';

/**
 * The JSON artifact: the mode's data plus the whole graph, for other tools. Edges are
 * `[from, to, line, runtime, viaWorkspace]` with module indexes; module metrics are
 * `[fanIn, fanOut, instability]` over the analysed edges.
 */
export function graphJson(a: ArchitectureAnalysis, data: ArchitectData): string {
  const { graph } = a;
  const edges = graph.edgeFrom.map((from, e) => [from, graph.edgeTo[e], graph.edgeLine[e], graph.edgeFlags[e] & EDGE_RUNTIME ? 1 : 0, graph.edgeFlags[e] & EDGE_WORKSPACE ? 1 : 0]);
  return `${JSON.stringify({
    ...data,
    graph: {
      modules: graph.modules,
      component: a.components.ofModule.map((c) => a.components.names[c]),
      edges,
      moduleMetrics: a.modules.map((m) => [m.fanIn, m.fanOut, m.instability]),
    },
  })}\n`;
}
