import type { Finding } from '@sparc/batch-core';
import type { ModeOutcome, PipelineRun, StageOutcome, StageStatus } from '../types';

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the
 * stage timeline drawn from the measured start and end offsets, each mode's findings and the
 * architecture diagram.
 */

export interface DiagramSection {
  /** Inline `<svg>` drawn from the artifact, when it could be laid out. */
  svg?: string;
  /** The artifact's text (Mermaid or DOT), shown as is. */
  source?: string;
  /** Workspace-relative path of the artifact. */
  file?: string;
  /** Strongly connected components from the architect's data. */
  cycles?: string[][];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const CSS = `
:root { --passed: #2e7d32; --warning: #ef8f00; --failed: #c62828; --skipped: #9e9e9e; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; } .meta { color: var(--muted); margin: 0 0 16px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; vertical-align: middle; }
.badge.passed { background: var(--passed); } .badge.warning { background: var(--warning); } .badge.failed { background: var(--failed); } .badge.skipped { background: var(--skipped); }
#timeline { display: block; width: 100%; max-width: 1100px; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fafbfc; }
#timeline text { font-size: 12px; fill: var(--ink); } #timeline .axis text { fill: var(--muted); font-size: 11px; }
#timeline .grid { stroke: #e5e8eb; } #timeline .stage-band { fill: #eef1f4; } #timeline .stage-label { font-weight: 600; }
#timeline .bar.passed { fill: var(--passed); } #timeline .bar.warning { fill: var(--warning); } #timeline .bar.failed { fill: var(--failed); } #timeline .bar.skipped { fill: var(--skipped); opacity: .5; }
#timeline .stage-span { fill: #c9d1d9; }
table { border-collapse: collapse; width: 100%; max-width: 1100px; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } td.sev-error { color: var(--failed); font-weight: 600; } td.sev-warning { color: var(--warning); font-weight: 600; } td.sev-info { color: var(--muted); }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; } pre { background: #f6f8fa; padding: 10px; border-radius: 6px; overflow: auto; max-height: 420px; }
.diagram { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-width: 1100px; }
.diagram .node rect { fill: #eef4ff; stroke: #4a6fa5; } .diagram .node text { font-size: 11px; text-anchor: middle; fill: var(--ink); }
.diagram .edge { fill: none; stroke: #6e7781; stroke-width: 1.2; } .diagram .edge.cycle { stroke: var(--failed); stroke-width: 1.8; } .diagram marker path { fill: #6e7781; }
.summary-line { color: var(--muted); margin: 2px 0 6px; } .none { color: var(--muted); font-style: italic; }
`;

const LABEL_W = 230;
const PLOT_W = 720;
const ROW_H = 24;

function niceStep(total: number): number {
  const raw = total / 6;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

/** The timeline: one band per stage, one bar per mode at its measured offsets; overlapping bars ran in parallel. */
export function timelineSvg(stages: StageOutcome[]): string {
  const total = Math.max(1, ...stages.flatMap((s) => [s.endMs, ...s.modes.map((m) => m.endMs)]));
  const x = (ms: number) => LABEL_W + (ms / total) * PLOT_W;
  const rows = stages.reduce((n, s) => n + 1 + s.modes.length, 0);
  const height = 30 + rows * ROW_H + 10;
  const parts: string[] = [];
  const step = niceStep(total);
  parts.push('<g class="axis">');
  for (let t = 0; t <= total + 1e-9; t += step) {
    parts.push(`<line class="grid" x1="${x(t).toFixed(1)}" y1="22" x2="${x(t).toFixed(1)}" y2="${height - 6}"/><text x="${x(t).toFixed(1)}" y="15" text-anchor="middle">${escapeHtml(formatMs(t))}</text>`);
  }
  parts.push('</g>');
  let y = 28;
  for (const stage of stages) {
    const span = stage.endMs - stage.startMs;
    const sum = stage.modes.reduce((acc, m) => acc + (m.endMs - m.startMs), 0);
    parts.push(`<g class="stage" data-stage="${escapeHtml(stage.name)}">`);
    parts.push(`<rect class="stage-band" x="0" y="${y}" width="${LABEL_W + PLOT_W + 20}" height="${ROW_H}"/>`);
    parts.push(`<text class="stage-label" x="8" y="${y + 16}">${escapeHtml(stage.name)} (${escapeHtml(stage.status)})</text>`);
    if (stage.status !== 'skipped') {
      parts.push(
        `<rect class="stage-span" x="${x(stage.startMs).toFixed(1)}" y="${y + 8}" width="${Math.max(1, x(stage.endMs) - x(stage.startMs)).toFixed(1)}" height="8"><title>${escapeHtml(`${stage.name}: wall ${formatMs(span)}, modes sum ${formatMs(sum)}`)}</title></rect>`,
      );
    }
    y += ROW_H;
    for (const mode of stage.modes) {
      parts.push(modeBar(mode, y, x));
      y += ROW_H;
    }
    parts.push('</g>');
  }
  return [
    `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${LABEL_W + PLOT_W + 20} ${height}" width="${LABEL_W + PLOT_W + 20}" height="${height}" role="img" aria-label="stage timeline">`,
    ...parts,
    '</svg>',
  ].join('\n');
}

function modeBar(mode: ModeOutcome, y: number, x: (ms: number) => number): string {
  const width = Math.max(2, x(mode.endMs) - x(mode.startMs));
  const commands = mode.commands.filter(Boolean).join(' → ');
  const title = `${mode.name}${commands ? ` (${commands})` : ''}: ${mode.status}, ${formatMs(mode.endMs - mode.startMs)} from ${formatMs(mode.startMs)} to ${formatMs(mode.endMs)}`;
  return [
    `<text x="22" y="${y + 16}">${escapeHtml(mode.name)}</text>`,
    `<rect class="bar ${mode.status}" data-mode="${escapeHtml(mode.name)}" data-start-ms="${mode.startMs.toFixed(1)}" data-end-ms="${mode.endMs.toFixed(1)}" x="${x(mode.startMs).toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW_H - 8}" rx="3"><title>${escapeHtml(title)}</title></rect>`,
  ].join('');
}

function badge(status: StageStatus): string {
  return `<span class="badge ${status}">${status}</span>`;
}

function findingsTable(findings: Finding[]): string {
  if (findings.length === 0) return '<p class="none">No findings.</p>';
  const rows = findings.map((f) => {
    const where = f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '';
    return `<tr><td class="sev-${f.severity}">${f.severity}</td><td><code>${escapeHtml(f.rule)}</code></td><td>${where ? `<code>${escapeHtml(where)}</code>` : ''}</td><td>${escapeHtml(f.message)}</td></tr>`;
  });
  return `<table class="findings"><thead><tr><th>severity</th><th>rule</th><th>where</th><th>message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function modeSection(stage: StageOutcome, mode: ModeOutcome): string {
  const commands = mode.commands.filter(Boolean).join(' → ');
  const head = `<h3 id="mode-${escapeHtml(mode.name)}">${escapeHtml(stage.name)} › ${escapeHtml(mode.name)}${commands ? ` <code>${escapeHtml(commands)}</code>` : ''} ${badge(mode.status)} <small>${formatMs(mode.endMs - mode.startMs)}</small></h3>`;
  if (!mode.result) return `${head}<p class="none">Not run: an earlier stage failed or the run was cancelled.</p>`;
  const artifacts = mode.result.artifacts.length > 0 ? `<p>Artifacts: ${mode.result.artifacts.map((a) => `<code>${escapeHtml(a)}</code>`).join(', ')}</p>` : '';
  return `<section class="mode">${head}<p class="summary-line">${escapeHtml(mode.result.summary)}</p>${findingsTable(mode.result.findings)}${artifacts}</section>`;
}

function diagramSection(diagram: DiagramSection | undefined): string {
  if (!diagram || (!diagram.svg && !diagram.source && !diagram.cycles)) {
    return '<p class="none">No architecture diagram: the architect mode did not run in this pipeline or wrote no diagram.</p>';
  }
  const parts: string[] = [];
  if (diagram.svg) parts.push(`<div class="diagram">${diagram.svg}</div>`);
  if (diagram.cycles && diagram.cycles.length > 0) {
    parts.push(`<h3>Import cycles (${diagram.cycles.length})</h3><ul>${diagram.cycles.map((c) => `<li><code>${escapeHtml(c.join(' → '))}</code></li>`).join('')}</ul>`);
  }
  if (diagram.source) {
    const from = diagram.file ? ` <code>${escapeHtml(diagram.file)}</code>` : '';
    parts.push(diagram.svg ? `<details><summary>Diagram source${from}</summary><pre>${escapeHtml(diagram.source)}</pre></details>` : `<p>Diagram source${from}:</p><pre id="architecture-source">${escapeHtml(diagram.source)}</pre>`);
  }
  return parts.join('\n');
}

export function renderHtml(run: PipelineRun, diagram?: DiagramSection): string {
  const stageRows = run.stages
    .map((s) => {
      const sum = s.modes.reduce((acc, m) => acc + (m.endMs - m.startMs), 0);
      return `<tr><td>${escapeHtml(s.name)}</td><td>${badge(s.status)}</td><td>${formatMs(s.endMs - s.startMs)}</td><td>${formatMs(sum)}</td><td>${s.modes.map((m) => `${escapeHtml(m.name)} ${badge(m.status)}`).join(' ')}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>sparc run ${escapeHtml(run.runId)}: ${run.status}</title>
<style>${CSS}</style>
</head>
<body>
<h1>sparc run ${badge(run.status)}</h1>
<p class="meta">Pipeline <strong>${escapeHtml(run.pipeline)}</strong> · run <code>${escapeHtml(run.runId)}</code> · started ${escapeHtml(run.startedAt)}${run.specFile ? ` · spec <code>${escapeHtml(run.specFile)}</code>` : ''} · workspace <code>${escapeHtml(run.workspace)}</code></p>
<h2>Timeline</h2>
<p class="meta">Bars are placed at each mode's measured start and end; bars of one stage that overlap ran at the same time.</p>
${timelineSvg(run.stages)}
<table class="stages"><thead><tr><th>stage</th><th>status</th><th>wall time</th><th>sum of modes</th><th>modes</th></tr></thead><tbody>${stageRows}</tbody></table>
<h2>Architecture</h2>
${diagramSection(diagram)}
<h2>Findings</h2>
${run.stages.flatMap((s) => s.modes.map((m) => modeSection(s, m))).join('\n')}
</body>
</html>
`;
}
