import type { ConcurrencyComparison } from './compare';
import type { Recommendation } from './recommendations';
import type { GroupSummary, PerformanceSummary } from './summary';
import type { TrendReport } from './trends';

/** Plain-text renderings for terminals; JSON callers use the objects themselves. */

export function formatSummary(summary: PerformanceSummary): string {
  const lines: string[] = [];
  const corrupt = summary.corruptLines > 0 ? ` (${summary.corruptLines} unreadable line${summary.corruptLines === 1 ? '' : 's'} skipped)` : '';
  if (summary.runs === 0) return `no runs recorded yet${corrupt}`;
  lines.push(`${summary.runs} run${summary.runs === 1 ? '' : 's'}, ${summary.operations} operations, ${formatMs(summary.wallMs)} wall time${corrupt}`);
  lines.push(`from ${summary.firstTs} to ${summary.lastTs}`);
  lines.push('');
  const rows = Object.entries(summary.byLabel).map(([label, group]) => groupRow(label, group));
  if (Object.keys(summary.byLabel).length > 1) rows.push(groupRow('all', summary));
  lines.push(...table(['label', 'runs', 'ops', 'wall', 'speed-up mean/median/p95', 'success', 'peak', 'concurrency'], rows));
  return lines.join('\n');
}

function groupRow(label: string, group: GroupSummary): string[] {
  const speedup = group.speedup ? `${times(group.speedup.mean)} / ${times(group.speedup.median)} / ${times(group.speedup.p95)}` : 'no concurrent runs';
  return [
    label,
    String(group.runs),
    String(group.operations),
    formatMs(group.wallMs),
    speedup,
    group.meanSuccessRate === null ? '-' : percent(group.meanSuccessRate),
    group.peakInFlightMax === null ? '-' : String(group.peakInFlightMax),
    group.concurrencies.join(','),
  ];
}

export function formatTrends(report: TrendReport): string {
  if (report.labels.length === 0) return 'no runs at concurrency > 1 recorded yet';
  const rows = report.labels.map((trend) => {
    if (!trend.earlier || !trend.recent) {
      return [trend.label, String(trend.runs), 'insufficient-data', '-', 'insufficient-data', '-'];
    }
    return [
      trend.label,
      String(trend.runs),
      trend.speedup,
      `${times(trend.earlier.medianSpeedup)} → ${times(trend.recent.medianSpeedup)}`,
      trend.wallMsPerOp,
      `${formatMs(trend.earlier.medianWallMsPerOp)} → ${formatMs(trend.recent.medianWallMsPerOp)}`,
    ];
  });
  return [
    ...table(['label', 'runs', 'speed-up', 'median (earlier → recent)', 'wall/op', 'median (earlier → recent)'], rows),
    '',
    `medians of the last ${report.window} runs vs the ${report.window} before; a label needs ${report.runsNeeded} runs at concurrency > 1; changes within ±${Math.round(report.tolerance * 100)}% are flat`,
  ].join('\n');
}

export function formatComparison(comparison: ConcurrencyComparison): string {
  const rows = [
    [`concurrency ${comparison.concurrency}`, formatMs(comparison.batchWallMs), comparison.batchStatus, String(comparison.batch.peakInFlight)],
    ['sequential (1)', formatMs(comparison.sequentialWallMs), comparison.sequentialStatus, String(comparison.sequential.peakInFlight)],
  ];
  const verdict =
    comparison.ratio === null
      ? 'ratio: not measurable'
      : `measured ratio: ${times(comparison.ratio)} (sequential wall time / concurrent wall time)`;
  const lines = [...table(['run', 'wall', 'status', 'peak in flight'], rows), '', verdict];
  if (!comparison.comparable) lines.push(`not comparable: ${comparison.reason}`);
  return lines.join('\n');
}

export function formatRecommendations(recommendations: readonly Recommendation[]): string {
  if (recommendations.length === 0) return 'no recommendations: the recorded runs show nothing to act on (or too few runs)';
  return recommendations.map((r) => `- [${r.rule}] ${r.message}`).join('\n');
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function times(value: number): string {
  return `${value.toFixed(2)}×`;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)}%`;
}

/** Left-aligned columns separated by two spaces, with a rule under the header. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
