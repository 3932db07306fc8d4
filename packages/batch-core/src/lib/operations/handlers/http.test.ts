import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError, isRetryable, OperationError, TimeoutError, ValidationError } from '../../errors';
import type { HandlerContext } from '../types';
import { createContext, createTempWorkspace, runHandler, type TempWorkspace } from './__fixtures__/handler-context';
import { httpRequestHandler } from './http';

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let temp: TempWorkspace;
let ctx: HandlerContext;
let server: http.Server;
let baseUrl: string;
let received: Received[];
/** Requests the test server holds open without answering. */
let hanging: http.ServerResponse[];

function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const url = req.url ?? '/';
  if (url === '/json') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-trace': 'abc' });
    res.end(JSON.stringify({ ok: true, echo: body ? JSON.parse(body) : null }));
  } else if (url === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain words');
  } else if (url.startsWith('/status/')) {
    res.writeHead(Number(url.slice('/status/'.length)), { 'content-type': 'text/plain' });
    res.end(`status page ${url}`);
  } else if (url === '/big') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('y'.repeat(10_000));
  } else if (url === '/big-chunked') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 10; i++) res.write('z'.repeat(1000));
    res.end();
  } else if (url === '/hang') {
    hanging.push(res);
  } else {
    res.writeHead(404);
    res.end('not found');
  }
}

beforeEach(async () => {
  temp = await createTempWorkspace();
  ctx = createContext(temp.workspace);
  received = [];
  hanging = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await temp.cleanup();
});

describe('http.request', () => {
  it('sends an object body as JSON and parses a JSON response', async () => {
    const result = await runHandler(httpRequestHandler, { url: `${baseUrl}/json`, method: 'post', body: { name: 'sparc', n: 1 }, headers: { 'x-client': 'test' } }, ctx);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ ok: true, echo: { name: 'sparc', n: 1 } });
    expect(result.headers['x-trace']).toBe('abc');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', 'x-client': 'test' } });
  });

  it('returns text unless the content type or responseType says JSON', async () => {
    expect((await runHandler(httpRequestHandler, { url: `${baseUrl}/text` }, ctx)).body).toBe('plain words');
    const forced = await runHandler(httpRequestHandler, { url: `${baseUrl}/json`, responseType: 'text' }, ctx);
    expect(forced.body).toBe('{"ok":true,"echo":null}');
    await expect(runHandler(httpRequestHandler, { url: `${baseUrl}/text`, responseType: 'json' }, ctx)).rejects.toMatchObject({ code: 'HTTP_BAD_JSON' });
  });

  it('fails with HTTP_STATUS when the status is not the expected one', async () => {
    const error = await runHandler(httpRequestHandler, { url: `${baseUrl}/status/201`, expectStatus: 200 }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', details: { status: 201, bodySnippet: 'status page /status/201' } });

    const accepted = await runHandler(httpRequestHandler, { url: `${baseUrl}/status/404`, expectStatus: [200, 404] }, ctx);
    expect(accepted.status).toBe(404);
  });

  it('marks 503 retryable and an unexpected 404 not retryable', async () => {
    const unavailable = await runHandler(httpRequestHandler, { url: `${baseUrl}/status/503` }, ctx).catch((e: unknown) => e);
    expect(unavailable).toMatchObject({ code: 'HTTP_STATUS', details: { status: 503 } });
    expect(isRetryable(unavailable)).toBe(true);

    const missing = await runHandler(httpRequestHandler, { url: `${baseUrl}/status/404` }, ctx).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'HTTP_STATUS', details: { status: 404 } });
    expect(isRetryable(missing)).toBe(false);
  });

  it('reports a refused connection as retryable HTTP_CONNECTION with the cause code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const error = await runHandler(httpRequestHandler, { url: `http://127.0.0.1:${port}/` }, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_CONNECTION', details: { cause: 'ECONNREFUSED' } });
    expect(isRetryable(error)).toBe(true);
  });

  it('aborts a request in flight with the signal reason', async () => {
    const controller = new AbortController();
    const running = runHandler(httpRequestHandler, { url: `${baseUrl}/hang` }, createContext(temp.workspace, controller.signal));
    while (hanging.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const reason = new CancelledError('batch cancelled');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
  });

  it('fails with a retryable TimeoutError when its own timeoutMs passes', async () => {
    const error = await runHandler(httpRequestHandler, { url: `${baseUrl}/hang`, timeoutMs: 50 }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isRetryable(error)).toBe(true);
    expect(hanging).toHaveLength(1);
  });

  it('refuses a body larger than maxBytes', async () => {
    await expect(runHandler(httpRequestHandler, { url: `${baseUrl}/big`, maxBytes: 1000 }, ctx)).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_LARGE' });
    expect((await runHandler(httpRequestHandler, { url: `${baseUrl}/big`, maxBytes: 10_000 }, ctx)).body).toHaveLength(10_000);
    // Without a content-length the limit applies while streaming.
    await expect(runHandler(httpRequestHandler, { url: `${baseUrl}/big-chunked`, maxBytes: 2500 }, ctx)).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_LARGE' });
  });

  it('accepts only http and https URLs', async () => {
    const parsed = httpRequestHandler.params.safeParse({ url: 'file:///etc/passwd' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(['url']);
    const direct = await Promise.resolve(httpRequestHandler.run({ ...httpRequestHandler.params.parse({ url: baseUrl }), url: 'ftp://example.com/x' }, ctx)).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(ValidationError);
    expect((direct as ValidationError).issues[0].path).toBe('params.url');
    expect(received).toHaveLength(0);
  });

  it('refuses a body on GET', () => {
    expect(httpRequestHandler.params.safeParse({ url: baseUrl, body: 'x' }).success).toBe(false);
  });

  it('names its circuit-breaker target after the origin', () => {
    expect(httpRequestHandler.target?.(httpRequestHandler.params.parse({ url: 'https://api.example.com:8443/v1/items?q=1' }))).toBe('http:https://api.example.com:8443');
  });
});
