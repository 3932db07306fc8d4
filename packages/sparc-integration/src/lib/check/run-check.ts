import { setMaxListeners } from 'node:events';
import { TimeoutError, type Finding, type ModeContext, type ModeResult, type ServiceSpec } from '@sparc/batch-core';
import { Contract } from '../contract/contract';
import type { Violation } from '../contract/violation';
import { checkEnvironment, type EnvConsistency } from '../env/env-consistency';
import { ManifestError } from '../errors';
import type { ServiceProcess } from '../process/service-process';
import { runProbes, type EndpointLatency, type ProbeResult, type ProbeTarget } from '../probes/run-probes';
import { renderMarkdown } from '../report/markdown';
import type { CheckData } from './data';
import { checkFindings, INTEGRATION_RULES } from './findings';
import type { CheckOptions } from './options';
import { resolveServices } from './resolve-services';
import { startServices, type ServiceOutcome } from './start-services';

const EMPTY_DATA: CheckData = { services: [], probes: [], latency: [], env: { services: [], shared: [] }, processes: [] };

/**
 * `sparc integration check`: start the services in dependency order, wait until each is healthy,
 * send every probe and check the responses against the contracts, check the environment, and stop
 * every started service: on success, on failure, on the check's own timeout and when the run is
 * cancelled (then, once everything is stopped, it rethrows the cancellation).
 */
export async function runCheck(ctx: ModeContext, options: CheckOptions): Promise<ModeResult<CheckData>> {
  let services: ServiceSpec[];
  let source: string;
  try {
    ({ services, source } = await resolveServices(ctx, options.services));
  } catch (error) {
    if (error instanceof ManifestError) return manifestFailure(error);
    throw error;
  }
  if (services.length === 0) {
    const message = options.services ? `${source} lists no services` : 'no services to check (no --services file, and the spec has no services)';
    return { status: 'passed', summary: message, findings: [{ severity: 'info', rule: INTEGRATION_RULES.noServices, message }], data: EMPTY_DATA, artifacts: [] };
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TimeoutError(options.timeoutMs, 'integration check')), options.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, deadline.signal]);
  // Every service's readiness wait and every probe listens on this one signal.
  setMaxListeners(0, signal);
  const started: ServiceProcess[] = [];
  const contracts = new Map<string, Contract>();
  const contractErrors = new Map<string, string>();
  let outcomes = new Map<string, ServiceOutcome>();
  let probeRun: { probes: ProbeResult[]; latency: EndpointLatency[] } = { probes: [], latency: [] };
  let env: EnvConsistency = { services: [], shared: [] };
  let failure: { error: unknown } | undefined;

  try {
    env = await checkEnvironment(ctx.workspace, services);
    await Promise.all(
      services.map(async (service) => {
        if (service.openapi === undefined) return;
        try {
          contracts.set(service.name, await Contract.load(ctx.workspace, service.openapi));
        } catch (error) {
          contractErrors.set(service.name, (error as Error).message);
        }
      }),
    );
    ctx.progress(`starting ${services.length} service(s)`);
    outcomes = await startServices(services, {
      workspace: ctx.workspace,
      signal,
      concurrency: options.startConcurrency,
      readinessTimeoutMs: options.readinessTimeoutMs,
      started,
      progress: (message) => ctx.progress(message),
    });
    const targets: ProbeTarget[] = services
      .filter((s) => outcomes.get(s.name)?.healthy)
      .flatMap((s) => (s.probes ?? []).map((probe) => ({ service: s.name, baseUrl: s.url, probe, contract: contracts.get(s.name) })));
    ctx.progress(`sending ${targets.length * options.repeat} probe request(s)`);
    probeRun = await runProbes(targets, { engine: ctx.engine, signal, concurrency: options.concurrency, timeoutMs: options.probeTimeoutMs, retries: options.retries, repeat: options.repeat });
  } catch (error) {
    failure = { error };
  } finally {
    clearTimeout(timer);
  }

  if (started.length > 0) ctx.progress(`stopping ${started.length} service(s)`);
  const processes = await Promise.all(
    started.map(async (child) => {
      const stop = await child.stop(options.stopGraceMs);
      return { service: child.name, pid: child.pid, how: stop.how, stopped: stop.stopped };
    }),
  );
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const timedOut = deadline.signal.aborted;
  if (failure && !timedOut) throw failure.error;

  const data: CheckData = {
    services: services.map((s) => outcomes.get(s.name) ?? { name: s.name, healthy: false, error: timedOut ? `check timed out after ${options.timeoutMs} ms before it was healthy` : 'not started' }),
    probes: withUnsentProbes(services, outcomes, probeRun.probes, contractErrors, timedOut ? options.timeoutMs : undefined),
    latency: probeRun.latency,
    env,
    processes,
  };
  const findings: Finding[] = [];
  for (const [name, message] of contractErrors) {
    const file = services.find((s) => s.name === name)?.openapi;
    findings.push({ severity: 'error', rule: INTEGRATION_RULES.contract, message: `service "${name}": ${message}`, ...(file ? { file } : {}) });
  }
  if (timedOut) findings.push({ severity: 'error', rule: INTEGRATION_RULES.timeout, message: `the check timed out after ${options.timeoutMs} ms; every started service was stopped` });
  findings.push(...checkFindings(data, (name) => env.services.find((s) => s.name === name)?.files.find((f) => f.endsWith('.env.example'))));

  const healthy = data.services.filter((s) => s.healthy).length;
  const passedProbes = data.probes.filter((p) => p.ok).length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const failed = findings.some((f) => f.severity === 'error');
  const status = failed ? 'failed' : warnings > 0 ? 'warning' : 'passed';
  const summary = [
    `${healthy}/${data.services.length} service(s) healthy`,
    `${passedProbes}/${data.probes.length} probe(s) passed`,
    ...(warnings > 0 ? [`${warnings} warning(s)`] : []),
    ...(timedOut ? [`timed out after ${options.timeoutMs} ms`] : []),
  ].join(', ');
  const artifacts = [
    await ctx.artifacts.write('report.md', renderMarkdown(data, { summary, status, source, runId: ctx.runId })),
    await ctx.artifacts.write('report.json', `${JSON.stringify({ status, summary, source, ...data }, null, 2)}\n`),
  ];
  return { status, summary, findings, data, artifacts };
}

/**
 * The probe results in manifest order, including the probes that were not sent because their
 * service is not healthy (or the check ran out of time), and the contract problems of each service.
 */
function withUnsentProbes(
  services: readonly ServiceSpec[],
  outcomes: Map<string, ServiceOutcome>,
  sent: readonly ProbeResult[],
  contractErrors: Map<string, string>,
  timedOutAfterMs: number | undefined,
): ProbeResult[] {
  const results: ProbeResult[] = [];
  let next = 0;
  for (const service of services) {
    const healthy = outcomes.get(service.name)?.healthy === true;
    for (const probe of service.probes ?? []) {
      let result: ProbeResult;
      if (healthy && next < sent.length) result = sent[next++];
      else {
        const violation: Violation =
          timedOutAfterMs !== undefined && healthy
            ? { check: 'timeout', message: `not sent: the check timed out after ${timedOutAfterMs} ms` }
            : { check: 'health', message: `not sent: service "${service.name}" is not healthy` };
        result = { service: service.name, method: probe.method, path: probe.path, status: 0, ok: false, durationMs: 0, violations: [violation] };
      }
      const contractError = contractErrors.get(service.name);
      if (contractError) result = { ...result, ok: false, violations: [...result.violations, { check: 'contract', message: `contract not checked: ${contractError}` }] };
      results.push(result);
    }
  }
  return results;
}

function manifestFailure(error: ManifestError): ModeResult<CheckData> {
  const findings: Finding[] = (error.issues.length > 0 ? error.issues.map((i) => i.message) : [error.message]).map((message) => ({
    severity: 'error',
    rule: INTEGRATION_RULES.manifest,
    message,
    ...(error.source && error.source !== 'spec' ? { file: error.source } : {}),
  }));
  return { status: 'failed', summary: error.message, findings, data: EMPTY_DATA, artifacts: [] };
}
