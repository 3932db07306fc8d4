import type { PipelineRun, SummaryJson } from './types';

const round = (ms: number) => Math.round(ms * 10) / 10;

/** `summary.json`: the run's status, and per stage and mode the status, wall time and findings. */
export function toSummaryJson(run: PipelineRun): SummaryJson {
  return {
    runId: run.runId,
    status: run.status,
    stages: run.stages.map((stage) => ({
      name: stage.name,
      status: stage.status,
      durationMs: round(stage.endMs - stage.startMs),
      modes: stage.modes.map((mode) => ({
        name: mode.name,
        status: mode.status,
        durationMs: round(mode.endMs - mode.startMs),
        findings: mode.result?.findings ?? [],
      })),
    })),
  };
}

/** `timeline.json`: what the HTML report draws, for tools that want the offsets too. */
export function toTimelineJson(run: PipelineRun): unknown {
  return {
    runId: run.runId,
    pipeline: run.pipeline,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.specFile ? { spec: run.specFile } : {}),
    stages: run.stages.map((stage) => ({
      name: stage.name,
      status: stage.status,
      startMs: round(stage.startMs),
      endMs: round(stage.endMs),
      modes: stage.modes.map((mode) => ({
        name: mode.name,
        commands: mode.commands.map((c) => c ?? null),
        status: mode.status,
        startMs: round(mode.startMs),
        endMs: round(mode.endMs),
        ...(mode.result ? { summary: mode.result.summary, artifacts: mode.result.artifacts } : {}),
      })),
    })),
  };
}

const SYMBOL = { passed: '✔', warning: '⚠', failed: '✖', skipped: '○' } as const;

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `summary.md`: the same facts for a person, with every finding. */
export function toSummaryMarkdown(run: PipelineRun): string {
  const lines = [`# sparc run ${run.runId}`, '', `Pipeline **${run.pipeline}**: ${SYMBOL[run.status]} **${run.status}** (started ${run.startedAt}${run.specFile ? `, spec \`${run.specFile}\`` : ''}).`, ''];
  lines.push('| stage | status | wall time | modes |', '|---|---|---|---|');
  for (const stage of run.stages) {
    const sum = stage.modes.reduce((total, m) => total + (m.endMs - m.startMs), 0);
    const modes = stage.modes.map((m) => `${SYMBOL[m.status]} ${m.name} (${formatMs(m.endMs - m.startMs)})`).join(', ');
    const parallel = stage.modes.length > 1 && stage.status !== 'skipped' ? ` (modes sum ${formatMs(sum)})` : '';
    lines.push(`| ${stage.name} | ${SYMBOL[stage.status]} ${stage.status} | ${formatMs(stage.endMs - stage.startMs)}${parallel} | ${cell(modes)} |`);
  }
  for (const stage of run.stages) {
    for (const mode of stage.modes) {
      lines.push('', `## ${stage.name} › ${mode.name}${mode.commands.some(Boolean) ? ` (${mode.commands.map((c) => c ?? 'run').join(' → ')})` : ''}: ${mode.status}`, '');
      if (!mode.result) {
        lines.push('Not run: an earlier stage failed or the run was cancelled.');
        continue;
      }
      lines.push(mode.result.summary, '');
      if (mode.result.findings.length > 0) {
        lines.push('| severity | rule | where | message |', '|---|---|---|---|');
        for (const f of mode.result.findings) {
          lines.push(`| ${f.severity} | ${cell(f.rule)} | ${f.file ? cell(`${f.file}${f.line !== undefined ? `:${f.line}` : ''}`) : ''} | ${cell(f.message)} |`);
        }
      } else {
        lines.push('No findings.');
      }
      if (mode.result.artifacts.length > 0) lines.push('', 'Artifacts:', ...mode.result.artifacts.map((a) => `- \`${a}\``));
    }
  }
  return `${lines.join('\n')}\n`;
}
