import { promises as fsp } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import * as path from 'node:path';
import { runMode } from '@sparc/batch-core';
import { freePort, testWorkspace, type TestWorkspace } from '../../__tests__/helpers/harness';
import type { WaitData } from '../check/data';
import { integrationMode } from '../mode';
import { parseResource } from './resource';

function listen(server: HttpServer | TcpServer, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function close(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('wait resources', () => {
  it('parses http(s), tcp and file resources and refuses anything else', () => {
    expect(parseResource('http://127.0.0.1:8080/health')).toEqual({ kind: 'http', text: 'http://127.0.0.1:8080/health', url: 'http://127.0.0.1:8080/health' });
    expect(parseResource('tcp:localhost:5432')).toEqual({ kind: 'tcp', text: 'tcp:localhost:5432', host: 'localhost', port: 5432 });
    expect(parseResource('tcp:6379')).toMatchObject({ host: '127.0.0.1', port: 6379 });
    expect(parseResource('tcp:[::1]:80')).toMatchObject({ host: '::1', port: 80 });
    expect(parseResource('file:dist/ready')).toEqual({ kind: 'file', text: 'file:dist/ready', path: 'dist/ready' });
    expect(() => parseResource('tcp:host:99999')).toThrow('resource "tcp:host:99999": port must be a number from 1 to 65535 (got "99999")');
    expect(() => parseResource('ftp://x')).toThrow('expected http://…, https://…, tcp:host:port or file:path');
  });
});

describe('integration wait', () => {
  let t: TestWorkspace;
  const servers: (HttpServer | TcpServer)[] = [];
  beforeEach(async () => {
    t = await testWorkspace();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => (s.listening ? close(s) : undefined)));
    await t.close();
  });

  const wait = (options: Record<string, unknown>) => runMode<WaitData>(integrationMode, t.ctx, options, { command: 'wait' });

  it('waits for an http server, a tcp port and a file that appear later', async () => {
    const httpPort = await freePort();
    const tcpPort = await freePort();
    const http = createHttpServer((req, res) => res.end('ok'));
    const tcp = createTcpServer((socket) => socket.end());
    servers.push(http, tcp);
    setTimeout(() => void listen(http, httpPort), 150);
    setTimeout(() => void listen(tcp, tcpPort), 250);
    setTimeout(() => void fsp.writeFile(path.join(t.dir, 'ready.txt'), 'yes'), 350);

    const result = await wait({ resources: [`http://127.0.0.1:${httpPort}/`, `tcp:127.0.0.1:${tcpPort}`, 'file:ready.txt'], intervalMs: 25, timeoutMs: 15_000 });

    expect(result.status).toBe('passed');
    const resources = (result.data as WaitData).resources;
    expect(resources.map((r) => [r.kind, r.ready])).toEqual([
      ['http', true],
      ['tcp', true],
      ['file', true],
    ]);
    // Each was looked at before it existed, so each took more than one attempt.
    for (const r of resources) expect(r.attempts).toBeGreaterThan(1);
  });

  it('fails with the last reason when a resource is not ready in time', async () => {
    const http = createHttpServer((req, res) => {
      res.statusCode = req.url === '/teapot' ? 418 : 503;
      res.end();
    });
    servers.push(http);
    const port = await listen(http);
    const closedPort = await freePort();

    const result = await wait({ resources: [`http://127.0.0.1:${port}/down`, `tcp:127.0.0.1:${closedPort}`, 'file:never.txt'], intervalMs: 50, timeoutMs: 300 });

    expect(result.status).toBe('failed');
    const errors = (result.data as WaitData).resources.map((r) => r.error);
    expect(errors[0]).toMatch(/^not ready after 300 ms \(\d+ attempts?; last: answered 503 \(expected 2xx\)\)$/);
    expect(errors[1]).toMatch(/last: ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
    expect(errors[2]).toMatch(/last: never\.txt does not exist\)$/);
    expect(result.findings.map((f) => f.rule)).toEqual(['integration.not-ready', 'integration.not-ready', 'integration.not-ready']);

    const teapot = await wait({ resources: [`http://127.0.0.1:${port}/teapot`], expectStatus: 418, timeoutMs: 2000 });
    expect(teapot.status).toBe('passed');
  });

  it('refuses malformed resources and files outside the workspace', async () => {
    const malformed = await wait({ resources: ['tcp:nope', 'http://127.0.0.1:1/'] });
    expect(malformed.status).toBe('failed');
    expect(malformed.findings).toEqual([expect.objectContaining({ rule: 'integration.invalid-resource', message: expect.stringContaining('tcp:nope') })]);

    const outside = await wait({ resources: ['file:../escape.txt'], timeoutMs: 500 });
    expect(outside.status).toBe('failed');
    expect(outside.findings).toEqual([expect.objectContaining({ rule: 'integration.invalid-resource', message: expect.stringMatching(/^resource "file:\.\.\/escape\.txt": path .* is outside the workspace/) })]);
  });

  it('stops waiting when the run is cancelled', async () => {
    const closedPort = await freePort();
    const running = wait({ resources: [`tcp:127.0.0.1:${closedPort}`], intervalMs: 20, timeoutMs: 60_000 });
    setTimeout(() => t.controller.abort(new Error('user pressed Ctrl-C')), 100);
    const result = await running;
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'mode.cancelled', message: expect.stringContaining('user pressed Ctrl-C') })]);
  });
});
