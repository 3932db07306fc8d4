import type { ArchitectureAnalysis } from '../analyze';
import { EDGE_RUNTIME } from '../graph/build-graph';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Graphviz DOT of the module graph: one cluster per component, edges inside a cycle in red,
 * type-only edges dashed (present only with `typeEdges: include`).
 */
export function moduleDot(a: ArchitectureAnalysis): string {
  const { graph, components } = a;
  const inCycle = new Uint8Array(graph.modules.length);
  const sccOf = new Int32Array(graph.modules.length).fill(-1);
  a.sccs.forEach((component, i) => component.forEach((v) => ((inCycle[v] = 1), (sccOf[v] = i))));
  const lines = ['digraph imports {', '  rankdir=LR;', '  node [shape=box, fontsize=10, fontname="Helvetica"];', '  edge [color="#555555"];'];
  const members = new Map<number, number[]>();
  components.ofModule.forEach((c, v) => {
    const list = members.get(c) ?? [];
    list.push(v);
    members.set(c, list);
  });
  for (const [c, list] of [...members].sort((x, y) => x[0] - y[0])) {
    lines.push(`  subgraph cluster_${c} {`, `    label=${quote(components.names[c])};`);
    for (const v of list) lines.push(`    ${quote(graph.modules[v])}${inCycle[v] ? ' [color="#c0392b"]' : ''};`);
    lines.push('  }');
  }
  for (let v = 0; v < graph.modules.length; v++) {
    for (let k = a.adj.offsets[v]; k < a.adj.offsets[v + 1]; k++) {
      const w = a.adj.targets[k];
      const e = a.adj.edges[k];
      const attrs: string[] = [];
      if (sccOf[v] >= 0 && sccOf[v] === sccOf[w]) attrs.push('color="#c0392b"');
      if ((graph.edgeFlags[e] & EDGE_RUNTIME) === 0) attrs.push('style=dashed');
      lines.push(`  ${quote(graph.modules[v])} -> ${quote(graph.modules[w])}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
