/**
 * Draws the architect's diagram (its Mermaid flowchart or DOT artifact) as inline SVG, so the
 * report needs no renderer from the network. Layered left to right by longest path; edges that
 * close a cycle are drawn in red.
 */

export interface Graph {
  nodes: Map<string, string>;
  edges: Array<[string, string]>;
}

const MERMAID_SKIP = /^(?:graph|flowchart|subgraph|end\b|classDef|class\s|style\s|linkStyle|click\s|direction\s|%%)/;
const MERMAID_ARROW = /\s*(?:<-->|-->|==>|-\.->|-\.-|---|--[ox])\s*(?:\|[^|]*\|\s*)?/;
const MERMAID_NODE = /^([A-Za-z0-9_.:/@-]+)\s*(?:\[\[?|\(\(?|\{\{?|>)?\s*"?([^"\])}]*?)"?\s*(?:\]\]?|\)\)?|\}\}?)?\s*(?::::\w+)?;?$/;

function addNode(graph: Graph, id: string, label?: string): void {
  if (!graph.nodes.has(id) || (label && label !== id)) graph.nodes.set(id, label && label.length > 0 ? label : (graph.nodes.get(id) ?? id));
}

export function parseMermaid(text: string): Graph {
  const graph: Graph = { nodes: new Map(), edges: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || MERMAID_SKIP.test(line)) continue;
    const parts = line.split(MERMAID_ARROW).map((p) => p.trim()).filter(Boolean);
    const ids: string[] = [];
    for (const part of parts) {
      const match = MERMAID_NODE.exec(part);
      if (!match) continue;
      addNode(graph, match[1], match[2]);
      ids.push(match[1]);
    }
    for (let i = 1; i < ids.length; i++) graph.edges.push([ids[i - 1], ids[i]]);
  }
  return graph;
}

const DOT_ID = String.raw`"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_.]+)`;
const DOT_EDGE = new RegExp(String.raw`^\s*(?:${DOT_ID})\s*->\s*(?:${DOT_ID})`);
const DOT_NODE = new RegExp(String.raw`^\s*(?:${DOT_ID})\s*\[([^\]]*)\]`);
const DOT_KEYWORDS = new Set(['graph', 'node', 'edge', 'digraph', 'subgraph']);

export function parseDot(text: string): Graph {
  const graph: Graph = { nodes: new Map(), edges: [] };
  for (const line of text.split(/\r?\n/)) {
    const edge = DOT_EDGE.exec(line);
    if (edge) {
      const from = edge[1] ?? edge[2];
      const to = edge[3] ?? edge[4];
      addNode(graph, from);
      addNode(graph, to);
      graph.edges.push([from, to]);
      continue;
    }
    const node = DOT_NODE.exec(line);
    if (node) {
      const id = node[1] ?? node[2];
      if (DOT_KEYWORDS.has(id)) continue;
      const label = /label\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(node[3])?.[1];
      addNode(graph, id, label);
    }
  }
  return graph;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Longest-path ranks over the graph with the edges that close cycles (DFS back edges) set aside. */
function layers(graph: Graph): { rank: Map<string, number>; back: Set<number> } {
  const out = new Map<string, Array<[string, number]>>();
  graph.edges.forEach(([from, to], i) => out.set(from, [...(out.get(from) ?? []), [to, i]]));
  const state = new Map<string, 1 | 2>();
  const back = new Set<number>();
  const order: string[] = [];
  for (const start of graph.nodes.keys()) {
    if (state.has(start)) continue;
    // Iterative DFS: a deep chain must not overflow the stack.
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = out.get(top.id) ?? [];
      if (top.next < edges.length) {
        const [to, index] = edges[top.next++];
        if (state.get(to) === 1) back.add(index);
        else if (!state.has(to)) {
          state.set(to, 1);
          stack.push({ id: to, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        order.push(top.id);
        stack.pop();
      }
    }
  }
  const rank = new Map<string, number>();
  for (const id of order.reverse()) rank.set(id, rank.get(id) ?? 0);
  for (const id of order) {
    for (const [to, index] of out.get(id) ?? []) {
      if (!back.has(index)) rank.set(to, Math.max(rank.get(to) ?? 0, (rank.get(id) ?? 0) + 1));
    }
  }
  return { rank, back };
}

const NODE_W = 170;
const NODE_H = 28;
const GAP_X = 60;
const GAP_Y = 14;

function shorten(label: string, max = 24): string {
  return label.length > max ? `…${label.slice(label.length - max + 1)}` : label;
}

/** The graph as an `<svg>`; `undefined` when there is nothing to draw or too much to read. */
export function graphSvg(graph: Graph, maxNodes = 80): string | undefined {
  if (graph.nodes.size === 0 || graph.nodes.size > maxNodes) return undefined;
  const { rank, back } = layers(graph);
  const columns = new Map<number, string[]>();
  for (const id of graph.nodes.keys()) {
    const r = rank.get(id) ?? 0;
    columns.set(r, [...(columns.get(r) ?? []), id]);
  }
  const position = new Map<string, { x: number; y: number }>();
  let height = 0;
  for (const [r, ids] of columns) {
    ids.forEach((id, i) => position.set(id, { x: 10 + r * (NODE_W + GAP_X), y: 10 + i * (NODE_H + GAP_Y) }));
    height = Math.max(height, 10 + ids.length * (NODE_H + GAP_Y) + 30);
  }
  const width = 20 + columns.size * (NODE_W + GAP_X) - GAP_X;
  const bottom = Math.max(...[...position.values()].map((p) => p.y + NODE_H));
  const parts: string[] = [];
  graph.edges.forEach(([from, to], i) => {
    const a = position.get(from);
    const b = position.get(to);
    if (!a || !b) return;
    const cls = back.has(i) ? 'edge cycle' : 'edge';
    if (from === to) {
      parts.push(`<path class="${cls}" d="M${a.x + NODE_W - 20},${a.y} c 10,-18 30,-18 20,${NODE_H / 2}" marker-end="url(#arrow)"/>`);
      return;
    }
    if (b.x <= a.x) {
      // Backwards (a cycle or a same-column edge): under the boxes, from bottom to bottom.
      const x1 = a.x + NODE_W / 2;
      const x2 = b.x + NODE_W / 2 + (x1 === b.x + NODE_W / 2 ? 12 : 0);
      const y1 = a.y + NODE_H;
      const y2 = b.y + NODE_H;
      const dip = bottom + 22;
      parts.push(`<path class="${cls}" d="M${x1},${y1} C${x1},${dip} ${x2},${dip} ${x2},${y2}" marker-end="url(#arrow)"/>`);
      return;
    }
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const bend = (x2 - x1) / 2;
    parts.push(`<path class="${cls}" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`);
  });
  for (const [id, label] of graph.nodes) {
    const p = position.get(id) as { x: number; y: number };
    parts.push(`<g class="node"><title>${escapeXml(label)}</title><rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="5"/><text x="${p.x + NODE_W / 2}" y="${p.y + NODE_H / 2 + 4}">${escapeXml(shorten(label))}</text></g>`);
  }
  return [
    `<svg id="architecture-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height + 10}" width="${width}" height="${height + 10}" role="img" aria-label="architecture diagram">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ...parts,
    '</svg>',
  ].join('\n');
}
