import { existsSync } from 'node:fs';
import { runMode } from '@sparc/batch-core';
import type { CheckData } from '../lib/check/data';
import { integrationMode } from '../lib/mode';
import { eachTestWorkspace, livePids, type TestWorkspace } from './helpers/harness';
import { scriptService } from './helpers/services';

async function waitForFiles(files: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!files.every((f) => existsSync(f))) {
    if (Date.now() > deadline) throw new Error(`${files.join(', ')} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('integration check: every started service is stopped', () => {
  let t: TestWorkspace;
  eachTestWorkspace((ws) => {
    t = ws;
  });

  it('when the run is cancelled while it waits for health', async () => {
    const a = await scriptService(t, 'a', { env: { NEVER_HEALTHY: '1', SPAWN_CHILD: '1' }, readinessTimeoutMs: 60_000 });
    const b = await scriptService(t, 'b', { env: { NEVER_HEALTHY: '1' }, readinessTimeoutMs: 60_000 });
    await t.write('services.json', { services: [a, b] });

    const running = runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });
    await waitForFiles([t.pidFile('a'), `${t.pidFile('a')}.child`, t.pidFile('b')]);
    expect(livePids(await t.recordedPids())).toHaveLength(3);
    t.controller.abort(new Error('interrupted by the test'));
    const result = await running;

    expect(result.status).toBe('failed');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'mode.cancelled', message: expect.stringContaining('interrupted by the test') })]);
    expect(livePids(await t.recordedPids())).toEqual([]);
  });

  it('when the run is cancelled while probes are in flight', async () => {
    const slow = await scriptService(t, 'slow', { routes: { 'GET /slow': { status: 200, type: 'application/json', body: {}, delayMs: 30_000 } }, probes: [{ method: 'GET', path: '/slow' }] });
    await t.write('services.json', { services: [slow] });
    const progress: string[] = [];
    t.ctx.progress = (message) => {
      progress.push(message);
      // Cancel once the probes are on their way.
      if (message.startsWith('sending')) setTimeout(() => t.controller.abort(new Error('stop now')), 100);
    };

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json', probeTimeoutMs: 60_000 }, { command: 'check' });

    expect(result.findings).toEqual([expect.objectContaining({ rule: 'mode.cancelled' })]);
    expect(progress).toEqual(expect.arrayContaining(['stopping 1 service(s)']));
  });

  it('when the check reaches its own time limit', async () => {
    const stuck = await scriptService(t, 'stuck', { env: { NEVER_HEALTHY: '1' }, readinessTimeoutMs: 60_000, probes: [{ method: 'GET', path: '/x' }] });
    await t.write('services.json', { services: [stuck] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json', timeoutMs: 700 }, { command: 'check' });

    expect(result.status).toBe('failed');
    const data = result.data as CheckData;
    expect(data.services).toEqual([{ name: 'stuck', healthy: false, error: 'check timed out after 700 ms before it was healthy' }]);
    expect(result.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['integration.timeout', 'integration.service-unhealthy', 'integration.probe-failed']));
    expect(data.processes).toEqual([{ service: 'stuck', pid: expect.any(Number), how: 'terminated', stopped: true }]);
  });

  it('with SIGKILL when a service ignores SIGTERM', async () => {
    const stubborn = await scriptService(t, 'stubborn', { env: { IGNORE_TERM: '1' } });
    await t.write('services.json', { services: [{ ...stubborn, start: stubborn.start?.replace(/^/, 'exec ') }] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json', stopGraceMs: 300 }, { command: 'check' });

    expect(result.status).toBe('passed');
    expect((result.data as CheckData).processes).toEqual([{ service: 'stubborn', pid: expect.any(Number), how: 'killed', stopped: true }]);
  });
});
