import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { REPORTS_DIR, type Workspace } from '@sparc/batch-core';
import { toSummaryJson, toSummaryMarkdown, toTimelineJson } from '../summary';
import type { ModeOutcome, PipelineRun } from '../types';
import { graphSvg, parseDot, parseMermaid } from './diagram';
import { renderHtml, type DiagramSection } from './html';

const DIAGRAM_FILE = /\.(mmd|mermaid|dot|gv)$/i;

function cyclesOf(data: unknown): string[][] | undefined {
  const cycles = (data as { cycles?: unknown } | null | undefined)?.cycles;
  if (!Array.isArray(cycles)) return undefined;
  return cycles.filter((c): c is string[] => Array.isArray(c) && c.every((m) => typeof m === 'string'));
}

/** A Mermaid or DOT text the mode hands over in its data, for modes that write no artifact. */
function diagramText(data: unknown): { text: string; kind: 'mermaid' | 'dot' } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    if (/mermaid/i.test(key) || /^\s*(graph|flowchart)\s/.test(value)) return { text: value, kind: 'mermaid' };
    if (/^dot$/i.test(key) || /^\s*(strict\s+)?digraph\b/.test(value)) return { text: value, kind: 'dot' };
  }
  return undefined;
}

/**
 * The architecture diagram from the architect's artifacts (Mermaid preferred over DOT: it is the
 * component view), else from its data. A file that cannot be read is shown as missing, not fatal.
 */
async function findDiagram(workspace: Workspace, run: PipelineRun): Promise<DiagramSection | undefined> {
  const modes = run.stages.flatMap((s) => s.modes).filter((m): m is ModeOutcome & { result: NonNullable<ModeOutcome['result']> } => m.result !== undefined);
  const architect = modes.find((m) => m.name === 'architect') ?? modes.find((m) => m.result.artifacts.some((a) => DIAGRAM_FILE.test(a)));
  if (!architect) return undefined;
  const cycles = cyclesOf(architect.result.data);
  const files = architect.result.artifacts.filter((a) => DIAGRAM_FILE.test(a)).sort((a, b) => Number(/\.dot|\.gv$/i.test(a)) - Number(/\.dot|\.gv$/i.test(b)));
  for (const file of files) {
    try {
      const source = await fsp.readFile(workspace.resolve(file), 'utf8');
      const graph = /\.(dot|gv)$/i.test(file) ? parseDot(source) : parseMermaid(source);
      const svg = graphSvg(graph);
      return { source, file, ...(svg ? { svg } : {}), ...(cycles ? { cycles } : {}) };
    } catch {
      // try the next artifact
    }
  }
  // A Markdown report with a fenced Mermaid block.
  for (const file of architect.result.artifacts.filter((a) => /\.md$/i.test(a))) {
    const text = await fsp.readFile(workspace.resolve(file), 'utf8').catch(() => '');
    const fenced = /```mermaid\s*\n([\s\S]*?)```/.exec(text);
    if (!fenced) continue;
    const svg = graphSvg(parseMermaid(fenced[1]));
    return { source: fenced[1], file, ...(svg ? { svg } : {}), ...(cycles ? { cycles } : {}) };
  }
  const inline = diagramText(architect.result.data);
  if (inline) {
    const svg = graphSvg(inline.kind === 'dot' ? parseDot(inline.text) : parseMermaid(inline.text));
    return { source: inline.text, ...(svg ? { svg } : {}), ...(cycles ? { cycles } : {}) };
  }
  return cycles ? { cycles } : undefined;
}

/** Writes summary.json, summary.md, timeline.json and report.html; resolves to the report folder. */
export async function writeReports(workspace: Workspace, run: PipelineRun): Promise<string> {
  const dir = workspace.resolve(path.join(REPORTS_DIR, run.runId));
  await fsp.mkdir(dir, { recursive: true });
  const diagram = await findDiagram(workspace, run);
  await Promise.all([
    fsp.writeFile(path.join(dir, 'summary.json'), `${JSON.stringify(toSummaryJson(run), null, 2)}\n`),
    fsp.writeFile(path.join(dir, 'summary.md'), toSummaryMarkdown(run)),
    fsp.writeFile(path.join(dir, 'timeline.json'), `${JSON.stringify(toTimelineJson(run), null, 2)}\n`),
    fsp.writeFile(path.join(dir, 'report.html'), renderHtml(run, diagram)),
  ]);
  return dir;
}
