import type { Finding } from '@sparc/batch-core';
import type { CheckData } from './data';

export const INTEGRATION_RULES = {
  // Ends in `.invalid-input`, so the CLI treats a bad manifest as a usage error (exit 2).
  manifest: 'integration.invalid-input',
  contract: 'integration.contract-invalid',
  unhealthy: 'integration.service-unhealthy',
  probe: 'integration.probe-failed',
  envMissing: 'integration.env-missing',
  envDiff: 'integration.env-diff',
  stop: 'integration.stop-failed',
  timeout: 'integration.timeout',
  noServices: 'integration.no-services',
  notReady: 'integration.not-ready',
} as const;

/** How many violations one probe finding quotes before it sums up the rest. */
const QUOTED_VIOLATIONS = 3;

/** Findings for the pipeline: one per unhealthy service, failed probe, env problem and stuck process. */
export function checkFindings(data: CheckData, envFileOf: (service: string) => string | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const service of data.services) {
    if (!service.healthy) findings.push({ severity: 'error', rule: INTEGRATION_RULES.unhealthy, message: `service "${service.name}" is not healthy: ${service.error ?? 'unknown reason'}` });
  }
  for (const probe of data.probes) {
    if (probe.ok) continue;
    const quoted = probe.violations
      .slice(0, QUOTED_VIOLATIONS)
      .map((v) => `${v.check}${v.pointer !== undefined ? ` at ${v.pointer === '' ? '(body)' : v.pointer}` : ''}: ${v.message}`);
    const more = probe.violations.length > QUOTED_VIOLATIONS ? `; and ${probe.violations.length - QUOTED_VIOLATIONS} more` : '';
    findings.push({ severity: 'error', rule: INTEGRATION_RULES.probe, message: `${probe.service} ${probe.method} ${probe.path}: ${quoted.join('; ')}${more}` });
  }
  for (const env of data.env.services) {
    if (env.missing.length === 0) continue;
    const file = envFileOf(env.name);
    findings.push({
      severity: 'warning',
      rule: INTEGRATION_RULES.envMissing,
      message: `service "${env.name}" is missing required environment key(s) ${env.missing.join(', ')}`,
      ...(file ? { file } : {}),
    });
  }
  for (const shared of data.env.shared) {
    if (shared.consistent) continue;
    const values = Object.entries(shared.fingerprints).map(([name, fp]) => `${name}=${fp}`);
    findings.push({ severity: 'info', rule: INTEGRATION_RULES.envDiff, message: `${shared.key} differs between services (value fingerprints: ${values.join(', ')})` });
  }
  for (const stop of data.processes) {
    if (!stop.stopped) findings.push({ severity: 'error', rule: INTEGRATION_RULES.stop, message: `service "${stop.service}" (process group ${stop.pid}) survived SIGKILL` });
  }
  return findings;
}
