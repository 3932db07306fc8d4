import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '@sparc/batch-core';
import { ContractDocumentError } from '../errors';
import { checkResponse, type ProbeResponse } from './check-response';
import { Contract } from './contract';

function json(status: number, body: unknown, type = 'application/json'): ProbeResponse {
  return { status, headers: { 'content-type': type }, body: JSON.stringify(body), durationMs: 1 };
}

function doc(version: string, schemas: Record<string, unknown>, responseSchema: unknown, extra: Record<string, unknown> = {}): unknown {
  return {
    openapi: version,
    info: { title: 't', version: '1' },
    paths: { '/things': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: responseSchema } } } } } } },
    components: { schemas },
    ...extra,
  };
}

const get = { method: 'GET', path: '/things' };

describe('contract: dereferencing', () => {
  it('validates recursive schemas and points into nested bodies', () => {
    const contract = Contract.fromDocument(
      doc('3.0.3', { Node: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } }, { $ref: '#/components/schemas/Node' }),
      'tree.json',
    );
    const good = { name: 'root', children: [{ name: 'a', children: [{ name: 'b' }] }] };
    expect(checkResponse(get, json(200, good), contract).violations).toEqual([]);
    const bad = { name: 'root', children: [{ name: 'a', children: [{ name: 5 }, {}] }] };
    expect(checkResponse(get, json(200, bad), contract).violations).toEqual([
      { check: 'schema', pointer: '/children/0/children/0/name', message: 'expected string, got 5' },
      { check: 'schema', pointer: '/children/0/children/1/name', message: 'required property "name" is missing' },
    ]);
  });

  it('refuses external and dangling references, and documents that are not OpenAPI 3', () => {
    expect(() => Contract.fromDocument(doc('3.0.0', {}, { $ref: 'other.json#/Pet' }), 'api.json')).toThrow(
      new ContractDocumentError('api.json', 'external $ref "other.json#/Pet" at /paths/~1things/get/responses/200/content/application~1json/schema is not supported (only references inside the document, "#/...")'),
    );
    expect(() => Contract.fromDocument(doc('3.0.0', {}, { $ref: '#/components/schemas/Nope' }), 'api.json')).toThrow(/\$ref "#\/components\/schemas\/Nope" at .* points at nothing/);
    expect(() => Contract.fromDocument({ swagger: '2.0', paths: {} }, 'old.json')).toThrow('old.json: Swagger 2.0 is not supported (OpenAPI 3.0.x or 3.1.x expected)');
  });

  it('reads YAML documents from the workspace', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-contract-'));
    try {
      await fsp.writeFile(
        path.join(dir, 'api.yaml'),
        ['openapi: 3.0.3', 'info: { title: t, version: "1" }', 'paths:', '  /things:', '    get:', '      responses:', "        '200':", '          description: ok', '          content:', '            application/json:', '              schema: { type: array, items: { type: integer } }', ''].join('\n'),
      );
      const contract = await Contract.load(await Workspace.open(dir), 'api.yaml');
      expect(checkResponse(get, json(200, [1, 'x']), contract).violations).toEqual([{ check: 'schema', pointer: '/1', message: 'expected integer, got "x"' }]);
      await expect(Contract.load(await Workspace.open(dir), 'missing.yaml')).rejects.toThrow('missing.yaml: no such file');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('contract: OpenAPI 3.0 schemas', () => {
  it('turns nullable into JSON Schema, also beside allOf and enum', () => {
    const contract = Contract.fromDocument(
      doc(
        '3.0.3',
        { Owner: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } },
        {
          type: 'object',
          properties: {
            owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] },
            size: { type: 'string', enum: ['s', 'm'], nullable: true },
            count: { type: 'integer', nullable: false },
          },
        },
      ),
      'api.json',
    );
    expect(checkResponse(get, json(200, { owner: null, size: null, count: 1 }), contract).violations).toEqual([]);
    expect(checkResponse(get, json(200, { owner: { id: 1 }, size: 'm' }), contract).violations).toEqual([]);
    const violations = checkResponse(get, json(200, { owner: {}, size: 'xl', count: null }), contract).violations;
    expect(violations).toEqual(
      expect.arrayContaining([
        { check: 'schema', pointer: '/owner/id', message: 'required property "id" is missing' },
        { check: 'schema', pointer: '/size', message: 'expected one of "s", "m", null, got "xl"' },
        { check: 'schema', pointer: '/count', message: 'expected integer, got null' },
      ]),
    );
  });

  it('reads boolean exclusiveMinimum as draft 4 did and knows the OpenAPI formats', () => {
    const contract = Contract.fromDocument(
      doc('3.0.3', {}, { type: 'object', properties: { price: { type: 'number', minimum: 0, exclusiveMinimum: true }, qty: { type: 'integer', format: 'int32' }, at: { type: 'string', format: 'date-time' } } }),
      'api.json',
    );
    expect(checkResponse(get, json(200, { price: 0.5, qty: 3, at: '2024-01-01T00:00:00Z' }), contract).violations).toEqual([]);
    const pointers = checkResponse(get, json(200, { price: 0, qty: 2 ** 40, at: 'yesterday' }), contract).violations.map((v) => v.pointer);
    expect(pointers.sort()).toEqual(['/at', '/price', '/qty']);
  });
});

describe('contract: OpenAPI 3.1 schemas (JSON Schema 2020-12)', () => {
  it('applies type lists with null and the siblings of a $ref', () => {
    const contract = Contract.fromDocument(
      doc(
        '3.1.0',
        { Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, tag: { type: ['string', 'null'] } } } },
        { $ref: '#/components/schemas/Pet', required: ['tag'], description: 'a pet with a tag' },
      ),
      'api.json',
    );
    expect(checkResponse(get, json(200, { name: 'rex', tag: null }), contract).violations).toEqual([]);
    expect(checkResponse(get, json(200, { name: 'rex' }), contract).violations).toEqual([{ check: 'schema', pointer: '/tag', message: 'required property "tag" is missing' }]);
  });
});

describe('contract: operations, statuses and content types', () => {
  const contract = Contract.fromDocument(
    {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      servers: [{ url: 'https://api.example.com/v1' }],
      paths: {
        '/pets/{id}': { get: { responses: { '2XX': { description: 'ok', content: { 'application/*': { schema: { type: 'object', required: ['id'] } } } }, default: { description: 'error' } } } },
        '/pets/mine': { get: { responses: { '200': { description: 'mine', content: { 'application/json': { schema: { type: 'array' } } } } } } },
        '/pets': { delete: { responses: { '204': { description: 'gone' } } } },
      },
    },
    'api.json',
  );

  it('prefers literal paths over templates and strips the server base path', () => {
    expect(checkResponse({ method: 'GET', path: '/v1/pets/mine' }, json(200, []), contract)).toEqual({ violations: [], endpoint: '/pets/mine' });
    expect(checkResponse({ method: 'GET', path: '/pets/7?full=1' }, json(203, { id: 7 }, 'application/hal+json'), contract)).toEqual({ violations: [], endpoint: '/pets/{id}' });
  });

  it('falls back to "default", and checks that a bodiless response has no body', () => {
    expect(checkResponse({ method: 'GET', path: '/pets/7' }, { status: 404, headers: {}, body: '', durationMs: 1 }, contract).violations).toEqual([]);
    expect(checkResponse({ method: 'DELETE', path: '/pets' }, json(204, { gone: true }), contract).violations).toEqual([
      { check: 'content-type', message: 'response 204 declares no body, got 13 bytes of application/json' },
    ]);
  });

  it('names the declared methods of a path when the method is not one of them', () => {
    expect(checkResponse({ method: 'POST', path: '/pets' }, json(201, {}), contract).violations).toEqual([
      { check: 'operation', message: 'POST /pets is not declared in api.json (the path declares DELETE)' },
    ]);
  });

  it('reports a JSON body that does not parse', () => {
    const response = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": ', durationMs: 1 };
    expect(checkResponse({ method: 'GET', path: '/pets/1' }, response, contract).violations).toEqual([
      { check: 'schema', pointer: '', message: expect.stringMatching(/^body is not valid JSON: /) },
    ]);
  });
});
