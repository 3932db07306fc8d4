import { runMode } from '@sparc/batch-core';
import type { CheckData } from '../lib/check/data';
import { integrationMode } from '../lib/mode';
import { eachTestWorkspace, petstore30, type TestWorkspace } from './helpers/harness';
import { scriptService } from './helpers/services';

describe('integration check: responses that break the contract', () => {
  let t: TestWorkspace;
  eachTestWorkspace(async (ws) => {
    t = ws;
    await t.write('openapi.json', petstore30());
  });

  async function check(routes: Record<string, unknown>, probes: { method: 'GET' | 'POST'; path: string; maxMs?: number }[]) {
    const api = await scriptService(t, 'api', { routes, openapi: 'openapi.json', probes });
    await t.write('services.json', { services: [api] });
    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });
    return { result, data: result.data as CheckData };
  }

  it('reports a body that breaks its schema with the JSON pointer of each violation', async () => {
    const { result, data } = await check(
      {
        'GET /pets': { status: 200, type: 'application/json', body: [{ id: 1, name: 'rex' }, { id: 'two', name: 42, tag: 7 }, { name: 'x' }] },
        'GET /pets/1': { status: 200, type: 'application/json', body: { id: 1, name: 'rex', tag: null } },
      },
      [
        { method: 'GET', path: '/pets' },
        { method: 'GET', path: '/pets/1' },
      ],
    );
    expect(result.status).toBe('failed');
    const [list, one] = data.probes;
    expect(one).toMatchObject({ ok: true, status: 200 });
    expect(list).toMatchObject({ ok: false, status: 200 });
    expect(list.violations).toEqual(
      expect.arrayContaining([
        { check: 'schema', pointer: '/1/id', message: 'expected integer, got "two"' },
        { check: 'schema', pointer: '/1/name', message: 'expected string, got 42' },
        { check: 'schema', pointer: '/1/tag', message: expect.stringContaining('got 7') },
        { check: 'schema', pointer: '/2/id', message: 'required property "id" is missing' },
      ]),
    );
    // A 3.0 `nullable` tag accepts null (probe /pets/1), but not a number.
    expect(list.violations.filter((v) => v.pointer === '/0/tag')).toEqual([]);
    const finding = result.findings.find((f) => f.rule === 'integration.probe-failed');
    expect(finding?.message).toContain('api GET /pets: schema at /1/id');
  });

  it('catches a status code the contract does not declare', async () => {
    const { data } = await check({ 'GET /pets/1': { status: 418, type: 'application/json', body: { teapot: true } } }, [{ method: 'GET', path: '/pets/1' }]);
    expect(data.probes[0]).toMatchObject({
      status: 418,
      ok: false,
      violations: [{ check: 'status-declared', message: 'status 418 is not declared for GET /pets/{petId} (declared: 200, 404)' }],
    });
  });

  it('catches a content type the contract does not declare', async () => {
    const { data } = await check({ 'GET /pets': { status: 200, type: 'text/html', body: '<p>pets</p>' } }, [{ method: 'GET', path: '/pets' }]);
    expect(data.probes[0]).toMatchObject({
      status: 200,
      ok: false,
      violations: [{ check: 'content-type', message: 'content type text/html; response 200 declares application/json' }],
    });
  });

  it('reports server errors, undeclared operations and slow answers', async () => {
    const { data } = await check(
      {
        'GET /pets': { status: 200, type: 'application/json', body: [], delayMs: 300 },
        'POST /pets': { status: 503, type: 'application/json', body: { id: 1, name: 'x' } },
        'GET /owners': { status: 200, type: 'application/json', body: [] },
      },
      [
        { method: 'GET', path: '/pets', maxMs: 50 },
        { method: 'POST', path: '/pets' },
        { method: 'GET', path: '/owners' },
      ],
    );
    const [slow, broken, undeclared] = data.probes;
    expect(slow.violations).toEqual([{ check: 'response-time', message: expect.stringMatching(/^took \d+ ms \(max 50 ms\)$/) }]);
    expect(broken.violations.map((v) => v.check)).toEqual(['server-error', 'status-declared']);
    expect(undeclared.violations).toEqual([{ check: 'operation', message: 'GET /owners is not declared in openapi.json' }]);
  });
});
