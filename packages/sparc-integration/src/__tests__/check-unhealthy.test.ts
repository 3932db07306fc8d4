import { promises as fsp } from 'node:fs';
import { runMode } from '@sparc/batch-core';
import type { CheckData } from '../lib/check/data';
import { integrationMode } from '../lib/mode';
import { eachTestWorkspace, type TestWorkspace } from './helpers/harness';
import { scriptService } from './helpers/services';

const OK_ROUTES = { 'GET /ping': { status: 200, type: 'application/json', body: { pong: true } } };

describe('integration check: services that do not come up', () => {
  let t: TestWorkspace;
  eachTestWorkspace((ws) => {
    t = ws;
  });

  it('times out a service that never gets healthy with a clear finding, and still checks the others', async () => {
    const stuck = await scriptService(t, 'stuck', { env: { NEVER_HEALTHY: '1', SPAWN_CHILD: '1' }, readinessTimeoutMs: 800, routes: OK_ROUTES, probes: [{ method: 'GET', path: '/ping' }] });
    const fine = await scriptService(t, 'fine', { routes: OK_ROUTES, probes: [{ method: 'GET', path: '/ping', expectStatus: 200 }] });
    await t.write('services.json', { services: [stuck, fine] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });

    expect(result.status).toBe('failed');
    const data = result.data as CheckData;
    expect(data.services[0]).toEqual({ name: 'stuck', healthy: false, error: expect.stringContaining(`${stuck.url}/health not healthy after 800 ms`) });
    expect(data.services[0].error).toContain('last: answered 503 (expected 2xx)');
    expect(data.services[1]).toMatchObject({ name: 'fine', healthy: true });
    expect(data.probes).toEqual([
      { service: 'stuck', method: 'GET', path: '/ping', status: 0, ok: false, durationMs: 0, violations: [{ check: 'health', message: 'not sent: service "stuck" is not healthy' }] },
      { service: 'fine', method: 'GET', path: '/ping', status: 200, ok: true, durationMs: expect.any(Number), violations: [] },
    ]);
    const unhealthy = result.findings.filter((f) => f.rule === 'integration.service-unhealthy');
    expect(unhealthy).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^service "stuck" is not healthy: .*not healthy after 800 ms/) })]);
    expect(data.processes.map((p) => [p.service, p.stopped])).toEqual(expect.arrayContaining([['stuck', true], ['fine', true]]));
  });

  it('reports a start command that exits at once with its stderr', async () => {
    const broken = await scriptService(t, 'broken', { env: { EXIT_AT_ONCE: 'Error: cannot bind: config missing' }, readinessTimeoutMs: 20_000 });
    await t.write('services.json', { services: [broken] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });

    const [service] = (result.data as CheckData).services;
    expect(service.healthy).toBe(false);
    expect(service.error).toMatch(/^start command exited with code 3 before http:\/\/127\.0\.0\.1:\d+\/health was healthy; stderr: Error: cannot bind: config missing$/);
    expect(result.findings[0]).toMatchObject({ rule: 'integration.service-unhealthy', message: expect.stringContaining('cannot bind: config missing') });
  });

  it('starts a service only after the services it depends on are healthy', async () => {
    const startedFile = `${t.dir}/started.txt`;
    const db = await scriptService(t, 'db', { env: { START_DELAY_MS: '300', HEALTHY_AFTER_MS: '200', STARTED_FILE: startedFile } });
    // The api exits at once (code 4) when the db's health URL does not answer 2xx at its start.
    const api = await scriptService(t, 'api', { dependsOn: ['db'], env: { REQUIRE_URL: `${db.url}/health`, STARTED_FILE: startedFile }, routes: OK_ROUTES, probes: [{ method: 'GET', path: '/ping' }] });
    const web = await scriptService(t, 'web', { dependsOn: ['api'], env: { REQUIRE_URL: `${api.url}/health`, STARTED_FILE: startedFile } });
    // Listed in the wrong order on purpose: the manifest order must not matter.
    await t.write('services.json', { services: [web, api, db] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });

    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(result.status).toBe('passed');
    const data = result.data as CheckData;
    expect(data.services.map((s) => [s.name, s.healthy])).toEqual([
      ['web', true],
      ['api', true],
      ['db', true],
    ]);
    const order = (await fsp.readFile(startedFile, 'utf8')).trim().split('\n').map((line) => line.split(' ')[0]);
    expect(order).toEqual(['db', 'api', 'web']);
  });

  it('does not start a service whose dependency is not healthy', async () => {
    const db = await scriptService(t, 'db', { env: { EXIT_AT_ONCE: 'db: disk full' } });
    const api = await scriptService(t, 'api', { dependsOn: ['db'], routes: OK_ROUTES, probes: [{ method: 'GET', path: '/ping' }] });
    const other = await scriptService(t, 'other', { routes: OK_ROUTES, probes: [{ method: 'GET', path: '/ping' }] });
    await t.write('services.json', { services: [db, api, other] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });

    const data = result.data as CheckData;
    expect(data.services[1]).toEqual({ name: 'api', healthy: false, error: 'not started: it depends on "db", which is not healthy' });
    expect(data.services[2]).toMatchObject({ name: 'other', healthy: true });
    expect(data.probes.map((p) => [p.service, p.ok])).toEqual([
      ['api', false],
      ['other', true],
    ]);
    // Only db and other were started.
    expect(data.processes.map((p) => p.service).sort()).toEqual(['db', 'other']);
  });
});
