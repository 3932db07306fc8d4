import { PathOutsideWorkspaceError, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { INTEGRATION_RULES } from '../check/findings';
import type { WaitData } from '../check/data';
import type { WaitOptions } from '../check/options';
import { ResourceSpecError } from '../errors';
import { parseResource } from './resource';
import { waitForResources } from './wait-for-resources';

/** `sparc integration wait RESOURCE...`: like wait-on, all resources at once; failed when any is not ready in time. */
export async function runWait(ctx: ModeContext, options: WaitOptions): Promise<ModeResult<WaitData>> {
  const problems: string[] = [];
  for (const text of options.resources) {
    try {
      const resource = parseResource(text);
      if (resource.kind === 'file') ctx.workspace.resolve(resource.path);
    } catch (error) {
      if (error instanceof ResourceSpecError) problems.push(error.message);
      else if (error instanceof PathOutsideWorkspaceError) problems.push(`resource "${text}": ${error.message}`);
      else throw error;
    }
  }
  if (problems.length > 0) {
    return {
      status: 'failed',
      summary: `cannot wait: ${problems.join('; ')}`,
      findings: problems.map((message) => ({ severity: 'error', rule: 'integration.invalid-resource', message })),
      data: { resources: [] },
      artifacts: [],
    };
  }
  ctx.progress(`waiting for ${options.resources.length} resource(s)`);
  const resources = await waitForResources(options.resources, {
    workspace: ctx.workspace,
    signal: ctx.signal,
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    expectStatus: options.expectStatus,
    attemptTimeoutMs: options.attemptTimeoutMs,
  });
  const notReady = resources.filter((r) => !r.ready);
  const findings: Finding[] = notReady.map((r) => ({ severity: 'error', rule: INTEGRATION_RULES.notReady, message: `${r.resource}: ${r.error ?? 'not ready'}` }));
  const slowest = Math.max(0, ...resources.map((r) => r.waitedMs));
  const summary =
    notReady.length === 0
      ? `${resources.length} resource(s) ready after ${Math.round(slowest)} ms`
      : `${notReady.length} of ${resources.length} resource(s) not ready within ${options.timeoutMs} ms: ${notReady.map((r) => r.resource).join(', ')}`;
  return { status: notReady.length === 0 ? 'passed' : 'failed', summary, findings, data: { resources }, artifacts: [] };
}
