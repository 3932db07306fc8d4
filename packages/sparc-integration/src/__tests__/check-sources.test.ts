import { parseSpec, runMode } from '@sparc/batch-core';
import type { CheckData } from '../lib/check/data';
import { integrationMode } from '../lib/mode';
import { eachTestWorkspace, type TestWorkspace } from './helpers/harness';
import { scriptService } from './helpers/services';

const PING = { 'GET /ping': { status: 200, type: 'application/json', body: { pong: true } } };

describe('integration check: where services come from, and what is wrong with them', () => {
  let t: TestWorkspace;
  eachTestWorkspace((ws) => {
    t = ws;
  });

  it("reads the run's spec, and the workspace's spec file when the run has none", async () => {
    const api = await scriptService(t, 'api', { routes: PING, probes: [{ method: 'GET', path: '/ping' }] });
    t.ctx.spec = parseSpec({ name: 'demo', services: [api] });
    const fromSpec = await runMode<CheckData>(integrationMode, t.ctx, {});
    expect((fromSpec.data as CheckData).probes).toEqual([expect.objectContaining({ service: 'api', ok: true })]);

    t.ctx.spec = undefined;
    const other = await scriptService(t, 'other', { routes: PING, probes: [{ method: 'GET', path: '/ping' }] });
    await t.write('sparc.spec.json', { name: 'demo', services: [other] });
    const fromFile = await runMode<CheckData>(integrationMode, t.ctx, {}, { command: 'check' });
    expect((fromFile.data as CheckData).services).toEqual([expect.objectContaining({ name: 'other', healthy: true })]);
  });

  it('fails with findings that name the service and field of a bad manifest, starting nothing', async () => {
    const api = await scriptService(t, 'api');
    await t.write('services.json', { services: [{ ...api, health: 'health', probes: [{ method: 'FETCH', path: '/x' }] }] });
    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });
    expect(result.status).toBe('failed');
    expect(result.findings.map((f) => [f.rule, f.file, f.message])).toEqual([
      ['integration.invalid-input', 'services.json', 'service "api" (services[0]) field "health": must start with "/"'],
      ['integration.invalid-input', 'services.json', expect.stringMatching(/^service "api" \(services\[0\]\) field "probes\[0\]\.method": /)],
    ]);
    expect(await t.recordedPids()).toEqual([]);
  });

  it('passes with a note when there are no services', async () => {
    const result = await runMode<CheckData>(integrationMode, t.ctx, {}, { command: 'check' });
    expect(result.status).toBe('passed');
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'info', rule: 'integration.no-services' })]);
  });

  it('fails the probes of a service whose contract cannot be read, and warns about missing environment keys', async () => {
    await t.write('.env.example', 'PORT=\nSECRET_KEY=\n');
    await t.write('openapi.json', { openapi: '3.0.0', paths: { '/ping': { get: { responses: { '200': { $ref: 'shared.json#/ok' } } } } } });
    const api = await scriptService(t, 'api', { routes: PING, openapi: 'openapi.json', probes: [{ method: 'GET', path: '/ping' }] });
    await t.write('services.json', { services: [api] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });

    expect(result.status).toBe('failed');
    const data = result.data as CheckData;
    expect(data.probes[0]).toMatchObject({ status: 200, ok: false, violations: [{ check: 'contract', message: expect.stringContaining('external $ref "shared.json#/ok"') }] });
    expect(result.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', rule: 'integration.contract-invalid', file: 'openapi.json' }),
        expect.objectContaining({ severity: 'warning', rule: 'integration.env-missing', file: '.env.example', message: 'service "api" is missing required environment key(s) SECRET_KEY' }),
      ]),
    );
    expect(data.env.services).toEqual([{ name: 'api', required: ['PORT', 'SECRET_KEY'], missing: ['SECRET_KEY'], files: ['.env.example'] }]);
  });
});
