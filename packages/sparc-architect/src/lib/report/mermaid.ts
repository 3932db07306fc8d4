import type { ArchitectureAnalysis } from '../analyze';

/** Components beyond this many are left out of the diagram (the most coupled are kept). */
export const MERMAID_MAX_COMPONENTS = 60;

function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

/** A Mermaid flowchart of components and the import edges between them; components in a cycle are marked. */
export function componentDiagram(a: ArchitectureAnalysis): string {
  const { names, metrics, edges } = a.components;
  let shown = names.map((_, c) => c);
  const lines = ['graph LR'];
  if (shown.length > MERMAID_MAX_COMPONENTS) {
    shown = shown.sort((x, y) => metrics[y].fanIn + metrics[y].fanOut - (metrics[x].fanIn + metrics[x].fanOut)).slice(0, MERMAID_MAX_COMPONENTS);
    lines.push(`  %% ${names.length - shown.length} of ${names.length} components not shown (the least coupled)`);
  }
  const visible = new Set(shown);
  for (const c of shown.sort((x, y) => x - y)) lines.push(`  c${c}[${label(`${names[c]} (${metrics[c].modules})`)}]`);
  for (const c of shown) {
    for (const [to, count] of edges.get(c) ?? []) if (visible.has(to)) lines.push(`  c${c} -->|${count}| c${to}`);
  }
  const cyclic = shown.filter((c) => metrics[c].inCycle);
  if (cyclic.length > 0) {
    lines.push('  classDef cycle fill:#fde2e2,stroke:#c0392b,stroke-width:2px');
    lines.push(`  class ${cyclic.map((c) => `c${c}`).join(',')} cycle`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Mermaid flowchart of one cycle (the first example), module by module. */
export function cycleDiagram(a: ArchitectureAnalysis, cycle: readonly number[]): string {
  const lines = ['graph LR'];
  // A long cycle is drawn with its middle folded into one node.
  const names = cycle.length > CYCLE_DIAGRAM_LIMIT ? [...cycle.slice(0, CYCLE_DIAGRAM_LIMIT - 1).map((v) => a.graph.modules[v]), `… ${cycle.length - CYCLE_DIAGRAM_LIMIT + 1} more modules`] : cycle.map((v) => a.graph.modules[v]);
  names.forEach((name, i) => lines.push(`  m${i}[${label(name)}]`));
  names.forEach((_, i) => lines.push(`  m${i} --> m${(i + 1) % names.length}`));
  return `${lines.join('\n')}\n`;
}

/** Modules drawn in a cycle diagram. */
export const CYCLE_DIAGRAM_LIMIT = 30;
