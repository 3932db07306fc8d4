import { baseName, type CrudContext } from './context';
import { testData } from './test-data';

/** `<kebab>.http.test.ts`: the handlers over a real server listening on 127.0.0.1, port 0. */
export function renderHttpTestFile(ctx: CrudContext): string {
  const { conv } = ctx;
  const e = conv.exports;
  const p = conv.pascal;
  const data = testData(ctx);
  const collection = conv.routes.collection;
  return `import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ${e.createServer} } from '${conv.imports.http}';
import type { ${e.type} } from '${conv.imports.schema}';
import { ${e.service} } from '${conv.imports.service}';

${data.declarations}

interface Reply {
  status: number;
  contentType: string | null;
  location: string | null;
  allow: string | null;
  text: string;
  /** The body as JSON; undefined when there is none. */
  body: unknown;
}

describe('${p} HTTP handlers (${baseName(conv.files.http)})', () => {
  let server: Server;
  let base = '';

  beforeEach(async () => {
    server = ${e.createServer}(new ${e.service}());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    base = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}\`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  async function call(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const response = await fetch(\`\${base}\${path}\`, payload === undefined ? { method } : { method, body: payload, headers: { 'content-type': 'application/json' } });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      location: response.headers.get('location'),
      allow: response.headers.get('allow'),
      text,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  async function create(input: unknown): Promise<${e.type}> {
    const reply = await call('POST', '${collection}', input);
    expect(reply.status).toBe(201);
    return reply.body as ${e.type};
  }

  /** The fields the issues of a 400 body are about (the first step of each issue's path). */
  function issueFields(body: unknown): string[] {
    return (body as { issues: { path: (string | number)[] }[] }).issues.map((issue) => String(issue.path[0]));
  }

  it('POST ${collection} answers 201 with the record and its Location', async () => {
    const reply = await call('POST', '${collection}', valid);
    expect(reply.status).toBe(201);
    expect(reply.contentType).toMatch(/^application\\/json/);
    const created = reply.body as ${e.type};
    expect(created).toEqual({ id: created.id, ...valid });
    expect(reply.location).toBe(\`${collection}/\${encodeURIComponent(created.id)}\`);
    const fetched = await call('GET', reply.location ?? '');
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created);
  });

  it('POST with invalid fields answers 400 with the zod issues', async () => {
    const reply = await call('POST', '${collection}', invalid);
    expect(reply.status).toBe(400);
    expect(reply.contentType).toMatch(/^application\\/json/);
    expect(reply.body).toMatchObject({ error: 'ValidationError' });
    expect(issueFields(reply.body)).toContain('${data.invalidField}');
  });

  it('POST with a body that is not JSON answers 400', async () => {
    const reply = await call('POST', '${collection}', '{"not json');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: 'ValidationError' });
  });

  it('GET ${collection} answers one page and the total', async () => {
    const ids: string[] = [];
    for (const input of [valid, another, valid]) ids.push((await create(input)).id);
    const reply = await call('GET', '${collection}?offset=1&limit=1');
    expect(reply.status).toBe(200);
    const page = reply.body as { items: ${e.type}[]; total: number; offset: number; limit: number };
    expect(page.items.map((item) => item.id)).toEqual(ids.slice(1, 2));
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1 });
    const all = await call('GET', '${collection}');
    expect((all.body as { items: unknown[]; limit: number }).items).toHaveLength(3);
    expect((all.body as { limit: number }).limit).toBe(20);
  });

  it('GET ${collection} with paging that is not a whole number answers 400', async () => {
    expect((await call('GET', '${collection}?limit=abc')).status).toBe(400);
    expect((await call('GET', '${collection}?offset=-1')).status).toBe(400);
  });

  it('PATCH ${collection}/:id answers 200 with the updated record', async () => {
    const created = await create(valid);
    const reply = await call('PATCH', \`${collection}/\${encodeURIComponent(created.id)}\`, patch);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ...created, ...patch });
    expect((await call('GET', \`${collection}/\${encodeURIComponent(created.id)}\`)).body).toEqual({ ...created, ...patch });
  });

  it('PATCH with an invalid field answers 400 and changes nothing', async () => {
    const created = await create(valid);
    const reply = await call('PATCH', \`${collection}/\${encodeURIComponent(created.id)}\`, invalidPatch);
    expect(reply.status).toBe(400);
    expect(issueFields(reply.body)).toContain('${data.invalidField}');
    expect((await call('GET', \`${collection}/\${encodeURIComponent(created.id)}\`)).body).toEqual(created);
  });

  it('DELETE ${collection}/:id answers 204, then the record is gone', async () => {
    const created = await create(valid);
    const path = \`${collection}/\${encodeURIComponent(created.id)}\`;
    const reply = await call('DELETE', path);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    const gone = await call('GET', path);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: 'NotFound' });
  });

  it('answers 404 for an unknown id', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const reply = await call(method, '${collection}/no-such-id', method === 'PATCH' ? patch : undefined);
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ error: 'NotFound' });
    }
  });

  it('answers 405 with Allow for other methods', async () => {
    const onCollection = await call('PUT', '${collection}', valid);
    expect(onCollection.status).toBe(405);
    expect(onCollection.allow).toBe('GET, POST');
    const created = await create(valid);
    const onItem = await call('PUT', \`${collection}/\${encodeURIComponent(created.id)}\`, valid);
    expect(onItem.status).toBe(405);
    expect(onItem.allow).toBe('GET, PATCH, DELETE');
  });

  it('is described by its OpenAPI document', () => {
    const document = JSON.parse(readFileSync(join(__dirname, '${baseName(conv.files.openapi)}'), 'utf8')) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\\.1\\./);
    expect(Object.keys(document.paths['${collection}'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(document.paths['${collection}/{id}'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});
`;
}
