import { createServer, type Server } from 'node:http';
import { runMode } from '@sparc/batch-core';
import type { CheckData } from '../lib/check/data';
import { integrationMode } from '../lib/mode';
import { eachTestWorkspace, type TestWorkspace } from './helpers/harness';
import { scriptService } from './helpers/services';

describe('integration check: probes', () => {
  let t: TestWorkspace;
  eachTestWorkspace((ws) => {
    t = ws;
  });

  it('retries a probe whose connection drops, and reports one that never answers in time', async () => {
    const api = await scriptService(t, 'api', {
      routes: {
        'GET /flaky': { status: 200, type: 'application/json', body: { ok: true }, resetFirst: 2 },
        'GET /hang': { status: 200, type: 'application/json', body: {}, delayMs: 30_000 },
      },
      probes: [
        { method: 'GET', path: '/flaky', expectStatus: 200 },
        { method: 'GET', path: '/hang' },
      ],
    });
    await t.write('services.json', { services: [api] });

    const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json', retries: 2, probeTimeoutMs: 300 }, { command: 'check' });

    const [flaky, hang] = (result.data as CheckData).probes;
    expect(flaky).toMatchObject({ status: 200, ok: true, violations: [] });
    expect(hang).toMatchObject({ status: 0, ok: false, violations: [{ check: 'timeout', message: expect.stringMatching(/^no response after 3 attempts: .*timed out after 300 ms/) }] });
  });

  it('waits for a service that is already running (no start command) and probes it', async () => {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/base/health' ? 204 : 200, { 'content-type': 'application/json' });
      res.end(req.url === '/base/health' ? undefined : '{"hello":"world"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      await t.write('services.json', {
        services: [{ name: 'external', url: `http://127.0.0.1:${port}/base`, health: '/health', expectStatus: 204, probes: [{ method: 'POST', path: '/echo', body: [1, 2], expectStatus: 200 }] }],
      });
      const result = await runMode<CheckData>(integrationMode, t.ctx, { services: 'services.json' }, { command: 'check' });
      const data = result.data as CheckData;
      expect(data.services).toEqual([{ name: 'external', healthy: true, readyMs: expect.any(Number) }]);
      expect(data.probes).toEqual([expect.objectContaining({ path: '/echo', status: 200, ok: true })]);
      expect(data.processes).toEqual([]);
      // The base URL's path prefixes the health path and the probe paths.
      expect(seen).toEqual(expect.arrayContaining(['GET /base/health', 'POST /base/echo']));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
