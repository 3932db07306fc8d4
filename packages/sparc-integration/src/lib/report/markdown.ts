import type { CheckData } from '../check/data';

/** Table cell text: pipes escaped, line breaks flattened. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function ms(value: number | undefined): string {
  if (value === undefined) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

/** The human report of one check: health, probes with their violations, latency, environment. */
export function renderMarkdown(data: CheckData, meta: { summary: string; status: string; source: string; runId: string }): string {
  const lines: string[] = [`# Integration check: ${meta.status}`, '', meta.summary, '', `Run \`${meta.runId}\`, services from \`${meta.source}\`.`, ''];

  lines.push('## Services', '');
  if (data.services.length === 0) lines.push('No services.', '');
  else lines.push(...table(['service', 'healthy', 'ready after', 'error'], data.services.map((s) => [s.name, s.healthy ? 'yes' : '**no**', ms(s.readyMs), s.error ?? ''])), '');

  lines.push('## Probes', '');
  if (data.probes.length === 0) lines.push('No probes.', '');
  else {
    lines.push(
      ...table(
        ['service', 'request', 'status', 'result', 'slowest'],
        data.probes.map((p) => [p.service, `${p.method} ${p.path}`, p.status === 0 ? '—' : String(p.status), p.ok ? 'ok' : `**${p.violations.length} violation(s)**`, ms(p.durationMs)]),
      ),
      '',
    );
    const failed = data.probes.filter((p) => !p.ok);
    if (failed.length > 0) {
      lines.push('### Violations', '');
      for (const probe of failed) {
        lines.push(`- **${probe.service}** \`${probe.method} ${probe.path}\` (status ${probe.status === 0 ? 'none' : probe.status})`);
        for (const v of probe.violations) lines.push(`  - \`${v.check}\`${v.pointer !== undefined ? ` at \`${v.pointer === '' ? '(body)' : v.pointer}\`` : ''}: ${v.message}`);
      }
      lines.push('');
    }
  }

  if (data.latency.length > 0) {
    lines.push('## Latency per endpoint', '');
    lines.push(...table(['service', 'endpoint', 'samples', 'p50', 'p95'], data.latency.map((l) => [l.service, l.endpoint, String(l.samples), ms(l.p50Ms), ms(l.p95Ms)])), '');
  }

  lines.push('## Environment', '');
  const missing = data.env.services.filter((s) => s.missing.length > 0);
  if (missing.length === 0) lines.push('Every required key is set.', '');
  else lines.push(...table(['service', 'missing keys', 'from'], missing.map((s) => [s.name, s.missing.join(', '), s.files.join(', ') || 'manifest'])), '');
  if (data.env.shared.length > 0) {
    lines.push('Keys set by more than one service (values shown as SHA-256 fingerprints):', '');
    lines.push(
      ...table(
        ['key', 'same value', 'services'],
        data.env.shared.map((s) => [s.key, s.consistent ? 'yes' : '**no**', Object.entries(s.fingerprints).map(([name, fp]) => `${name}: ${fp}`).join(', ')]),
      ),
      '',
    );
  }

  if (data.processes.length > 0) {
    lines.push('## Stopped processes', '');
    lines.push(...table(['service', 'pid', 'stopped', 'how'], data.processes.map((p) => [p.service, String(p.pid), p.stopped ? 'yes' : '**no**', p.how])), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
