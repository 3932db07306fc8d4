import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runMode } from '@sparc/batch-core';
import { integrationMode } from '../lib/mode';
import type { CheckData } from '../lib/check/data';
import { CONFORMANT_ROUTES, eachTestWorkspace, petstore30, type TestWorkspace } from './helpers/harness';
import { scriptService } from './helpers/services';

describe('integration check: a conformant service', () => {
  let t: TestWorkspace;
  eachTestWorkspace((ws) => {
    t = ws;
  });

  it('passes: healthy, every probe ok, reports written, the service stopped', async () => {
    await t.write('openapi.json', petstore30());
    const api = await scriptService(t, 'api', {
      routes: CONFORMANT_ROUTES,
      env: { SPAWN_CHILD: '1' },
      openapi: 'openapi.json',
      probes: [
        { method: 'GET', path: '/pets', expectStatus: 200 },
        { method: 'GET', path: '/pets/1' },
        { method: 'GET', path: '/pets/9', expectStatus: 404 },
        { method: 'POST', path: '/pets', body: { name: 'new' }, expectStatus: 201 },
      ],
    });
    await t.write('services.json', { services: [api] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json', repeat: 3 }, { command: 'check' });

    expect(result.findings).toEqual([]);
    expect(result.status).toBe('passed');
    const data = result.data as CheckData;
    expect(data.services).toEqual([{ name: 'api', healthy: true, readyMs: expect.any(Number) }]);
    expect(data.probes.map((p) => [p.method, p.path, p.status, p.ok, p.violations])).toEqual([
      ['GET', '/pets', 200, true, []],
      ['GET', '/pets/1', 200, true, []],
      ['GET', '/pets/9', 404, true, []],
      ['POST', '/pets', 201, true, []],
    ]);
    // Latency per endpoint of the contract: /pets/1 and /pets/9 are one endpoint, 3 rounds each.
    expect(data.latency.map((l) => [l.endpoint, l.samples])).toEqual(
      expect.arrayContaining([
        ['GET /pets', 3],
        ['GET /pets/{petId}', 6],
        ['POST /pets', 3],
      ]),
    );
    for (const l of data.latency) expect(l.p95Ms).toBeGreaterThanOrEqual(l.p50Ms);
    expect(data.processes).toEqual([{ service: 'api', pid: expect.any(Number), how: 'terminated', stopped: true }]);

    // The child the service started is in its process group and went with it.
    const childPid = Number(await fsp.readFile(`${t.pidFile('api')}.child`, 'utf8'));
    expect(childPid).toBeGreaterThan(0);

    expect(result.artifacts).toEqual([expect.stringMatching(/report\.md$/), expect.stringMatching(/report\.json$/)]);
    const markdown = await fsp.readFile(path.join(t.dir, result.artifacts[0]), 'utf8');
    expect(markdown).toContain('# Integration check: passed');
    expect(markdown).toContain('GET /pets/{petId}');
    const json = JSON.parse(await fsp.readFile(path.join(t.dir, result.artifacts[1]), 'utf8'));
    expect(json.probes).toHaveLength(4);
  });

  it('checks a 3.1 contract with JSON Schema 2020-12 keywords', async () => {
    await t.write('openapi.json', {
      openapi: '3.1.0',
      info: { title: 'pets', version: '1' },
      paths: {
        '/pets/{petId}': {
          get: { responses: { '200': { description: 'one', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } } },
        },
      },
      components: {
        schemas: {
          Pet: {
            type: 'object',
            required: ['id', 'name', 'position'],
            properties: {
              id: { type: 'integer' },
              name: { type: 'string' },
              tag: { type: ['string', 'null'] },
              position: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false },
            },
            unevaluatedProperties: false,
          },
        },
      },
    });
    const api = await scriptService(t, 'api', {
      routes: {
        'GET /pets/1': { status: 200, type: 'application/json', body: { id: 1, name: 'rex', tag: null, position: [1.5, 2] } },
        'GET /pets/2': { status: 200, type: 'application/json', body: { id: 2, name: 'tom', position: [1, 2, 3], color: 'grey' } },
      },
      openapi: 'openapi.json',
      probes: [
        { method: 'GET', path: '/pets/1' },
        { method: 'GET', path: '/pets/2' },
      ],
    });
    await t.write('services.json', { services: [api] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });

    const [one, two] = (result.data as CheckData).probes;
    expect(one).toMatchObject({ ok: true, violations: [] });
    expect(two.ok).toBe(false);
    expect(two.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'schema', pointer: '/position' }),
        expect.objectContaining({ check: 'schema', pointer: '/color', message: expect.stringContaining('unevaluatedProperties') }),
      ]),
    );
    expect(result.status).toBe('failed');
  });
});
