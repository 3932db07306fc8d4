import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { isProcessLive } from '@sparc/batch-core';
import { makeWorkspace, runCli, startCli } from '../cli/__tests__/run-cli';

/**
 * A service for the CLI tests: answers /health (503 while NEVER_HEALTHY is set) and GET /pets with
 * PETS_BODY; records its pid, and the pid of a child it starts, so the test can check both are gone.
 */
const SERVICE = String.raw`
const http = require('node:http');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
fs.writeFileSync(process.env.PID_FILE + '.child', String(child.pid));
http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(process.env.NEVER_HEALTHY ? 503 : 200);
    return res.end();
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(process.env.PETS_BODY);
}).listen(Number(process.env.PORT), '127.0.0.1', () => fs.writeFileSync(process.env.PID_FILE, String(process.pid)));
`;

const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': {
      get: {
        responses: {
          '200': {
            description: 'all',
            content: { 'application/json': { schema: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } },
          },
        },
      },
    },
  },
};

/** The pid in a service's pid file, once it has been written (an empty or missing file gives undefined; 0 would mean our own group). */
function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sparc integration (CLI)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;
  let pidFiles: string[];

  beforeEach(async () => {
    ({ ws, cleanup } = await makeWorkspace());
    pidFiles = [];
    await fsp.writeFile(path.join(ws, 'service.js'), SERVICE);
    await fsp.writeFile(path.join(ws, 'openapi.json'), JSON.stringify(OPENAPI));
  });

  afterEach(async () => {
    const pids: number[] = [];
    for (const file of pidFiles.flatMap((f) => [f, `${f}.child`])) {
      const pid = readPid(file);
      if (pid !== undefined) pids.push(pid);
    }
    await cleanup();
    expect(pids.filter(isProcessLive)).toEqual([]);
  });

  async function service(name: string, env: Record<string, string>) {
    const port = await freePort();
    const pidFile = path.join(ws, `${name}.pid`);
    pidFiles.push(pidFile);
    return {
      name,
      start: `"${process.execPath}" service.js`,
      env: { PORT: String(port), PID_FILE: pidFile, ...env },
      url: `http://127.0.0.1:${port}`,
      health: '/health',
      openapi: 'openapi.json',
      probes: [{ method: 'GET', path: '/pets', expectStatus: 200 }],
    };
  }

  it('check --json prints services and probes and exits 0 when everything holds, 1 when a body breaks the contract', async () => {
    const good = await service('good', { PETS_BODY: JSON.stringify([{ name: 'rex' }]) });
    await fsp.writeFile(path.join(ws, 'services.json'), JSON.stringify({ services: [good] }));
    const passed = runCli(['integration', 'check', '--dir', ws, '--services', 'services.json', '--json']);
    expect(passed.stderr).toBe('');
    expect(passed.status).toBe(0);
    const data = JSON.parse(passed.stdout);
    expect(data.services).toEqual([{ name: 'good', healthy: true, readyMs: expect.any(Number) }]);
    expect(data.probes).toEqual([{ service: 'good', method: 'GET', path: '/pets', status: 200, ok: true, durationMs: expect.any(Number), violations: [] }]);

    const bad = await service('bad', { PETS_BODY: JSON.stringify([{ name: 'rex' }, { name: 7 }]) });
    await fsp.writeFile(path.join(ws, 'services.json'), JSON.stringify({ services: [bad] }));
    const failed = runCli(['integration', 'check', '--dir', ws, '--services', 'services.json', '--json']);
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout).probes[0]).toMatchObject({ ok: false, violations: [{ check: 'schema', pointer: '/1/name', message: 'expected string, got 7' }] });
  });

  it('check exits 2 for a manifest that does not validate, naming the service and field', async () => {
    await fsp.writeFile(path.join(ws, 'services.json'), JSON.stringify({ services: [{ name: 'api', url: 'http://127.0.0.1:1', health: 'health' }] }));
    const bad = runCli(['integration', 'check', '--dir', ws, '--services', 'services.json']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('service "api" (services[0]) field "health": must start with "/"');
  });

  it('wait exits 0 once every resource is ready and 1 when one is not', async () => {
    await fsp.writeFile(path.join(ws, 'ready.txt'), 'yes');
    const ok = runCli(['integration', 'wait', 'file:ready.txt', '--dir', ws, '--timeout-ms', '5000', '--json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).resources).toEqual([expect.objectContaining({ resource: 'file:ready.txt', ready: true })]);

    const port = await freePort();
    const notReady = runCli(['integration', 'wait', `tcp:127.0.0.1:${port}`, '--dir', ws, '--timeout-ms', '300', '--interval-ms', '50']);
    expect(notReady.status).toBe(1);
    expect(notReady.stdout).toContain(`tcp:127.0.0.1:${port}: not ready after 300 ms`);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops every started service when sparc gets %s in the middle of a check', async (signal) => {
    const stuck = await service('stuck', { NEVER_HEALTHY: '1', PETS_BODY: '[]' });
    const waiting = await service('waiting', { NEVER_HEALTHY: '1', PETS_BODY: '[]' });
    await fsp.writeFile(path.join(ws, 'services.json'), JSON.stringify({ services: [stuck, waiting] }));
    const { child, done } = startCli(['mode', 'integration', 'check', '--dir', ws, '--services', 'services.json', '--readiness-timeout-ms', '60000']);

    const files = pidFiles.flatMap((f) => [f, `${f}.child`]);
    const deadline = Date.now() + 20_000;
    // A pid file exists a moment before its pid is in it: wait for the number itself.
    while (!files.every((f) => readPid(f) !== undefined)) {
      if (Date.now() > deadline) throw new Error('the services did not start');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const pids = files.map((f) => readPid(f) as number);
    expect(pids.filter(isProcessLive)).toHaveLength(4);

    child.kill(signal);
    const exit = await done;

    expect(exit.status).not.toBe(0);
    expect(pids.filter(isProcessLive)).toEqual([]);
  });
});
