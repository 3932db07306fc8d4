import { invalidEntityInput, sampleEntityInput, sampleFieldValue, type EntityConvention, type EntitySpec, type RequirementSpec } from '@sparc/batch-core';
import { derivedCheckFor, type DerivedCheck } from './criteria';

const CHECK_FUNCTION: Record<DerivedCheck, string> = {
  create: 'createsAndReadsBack',
  get: 'createsAndReadsBack',
  list: 'listsAPageWithTheTotal',
  update: 'updatesAndKeepsTheId',
  delete: 'deletesThenNotFound',
  validation: 'rejectsInvalidInput',
  'not-found': 'reportsUnknownIds',
};

const quote = (text: string): string => JSON.stringify(text);
const literal = (value: unknown): string => JSON.stringify(value);

/** The patch an update test sends: the first field whose second sample value differs from the first. */
function samplePatch(entity: EntitySpec): Record<string, unknown> {
  const field = entity.fields.find((f) => JSON.stringify(sampleFieldValue(f, 1)) !== JSON.stringify(sampleFieldValue(f, 0))) ?? entity.fields[0];
  return { [field.name]: sampleFieldValue(field, 1) };
}

/**
 * The acceptance test of one spec entity: service and HTTP round trips with sample data derived
 * from the field types, validation errors and unknown ids, written against the naming convention
 * (so it fails until the entity's modules exist), plus a test or an `it.todo` per acceptance
 * criterion of the requirements about the entity.
 */
export function renderEntityAcceptanceTest(entity: EntitySpec, conv: EntityConvention, requirements: RequirementSpec[], specSource: string): string {
  const { exports: names, imports, routes } = conv;
  const plural = conv.pluralCamel;
  const invalid = invalidEntityInput(entity);
  const required = entity.fields.find((f) => !f.optional);
  const patch = samplePatch(entity);
  const invalidPatch = { [invalid.field]: invalid.input[invalid.field] };
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);

  push(
    `/**`,
    ` * Acceptance tests for ${entity.name}, written by \`sparc tdd generate\` from ${specSource}.`,
    ` * They follow the naming convention of generated entity modules (service, HTTP handlers, errors),`,
    ` * so they fail until those modules exist (\`sparc code generate\`) and pass once they do.`,
    ` */`,
    `import * as http from 'node:http';`,
    `import type { AddressInfo } from 'node:net';`,
    `import { NotFoundError, ValidationError } from '${imports.errors}';`,
    `import { ${names.createServer} } from '${imports.http}';`,
    `import type { ${names.createInput}, ${names.updateInput} } from '${imports.schema}';`,
    `import { ${names.service} } from '${imports.service}';`,
    ``,
    `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field`,
    `type Json = any;`,
    ``,
    `const sample = (): ${names.createInput} => (${literal(sampleEntityInput(entity, 0))}) as ${names.createInput};`,
    `const otherSample = (): ${names.createInput} => (${literal(sampleEntityInput(entity, 1))}) as ${names.createInput};`,
    `const patch = (): ${names.updateInput} => (${literal(patch)}) as ${names.updateInput};`,
    `/** Breaks field "${invalid.field}": a value of the wrong type. */`,
    `const invalid = (): ${names.createInput} => (${literal(invalid.input)}) as unknown as ${names.createInput};`,
    `const invalidPatch = (): ${names.updateInput} => (${literal(invalidPatch)}) as unknown as ${names.updateInput};`,
    `const unknownId = '00000000-0000-4000-8000-000000000000';`,
    ``,
    `async function rejection(promise: Promise<unknown>): Promise<unknown> {`,
    `  return promise.then(`,
    `    (value) => { throw new Error(\`expected a rejection, got \${JSON.stringify(value)}\`); },`,
    `    (error: unknown) => error,`,
    `  );`,
    `}`,
    ``,
    `async function createsAndReadsBack(): Promise<void> {`,
    `  const service = new ${names.service}();`,
    `  const created = await service.create(sample());`,
    `  expect(typeof created.id).toBe('string');`,
    `  expect(created.id).not.toBe('');`,
    `  expect(created).toMatchObject(sample());`,
    `  await expect(service.get(created.id)).resolves.toEqual(created);`,
    `}`,
    ``,
    `async function listsAPageWithTheTotal(): Promise<void> {`,
    `  const service = new ${names.service}();`,
    `  const first = await service.create(sample());`,
    `  const second = await service.create(otherSample());`,
    `  const all = await service.list({});`,
    `  expect(all).toMatchObject({ total: 2, offset: 0, limit: 20 });`,
    `  expect(all.items.map((item) => item.id).sort()).toEqual([first.id, second.id].sort());`,
    `  const page = await service.list({ offset: 1, limit: 1 });`,
    `  expect(page).toMatchObject({ total: 2, offset: 1, limit: 1 });`,
    `  expect(page.items).toHaveLength(1);`,
    `}`,
    ``,
    `async function updatesAndKeepsTheId(): Promise<void> {`,
    `  const service = new ${names.service}();`,
    `  const created = await service.create(sample());`,
    `  const updated = await service.update(created.id, patch());`,
    `  expect(updated).toMatchObject({ ...sample(), ...patch(), id: created.id });`,
    `  await expect(service.get(created.id)).resolves.toMatchObject(patch());`,
    `}`,
    ``,
    `async function deletesThenNotFound(): Promise<void> {`,
    `  const service = new ${names.service}();`,
    `  const created = await service.create(sample());`,
    `  await service.delete(created.id);`,
    `  expect(await rejection(service.get(created.id))).toBeInstanceOf(NotFoundError);`,
    `  await expect(service.list({})).resolves.toMatchObject({ total: 0 });`,
    `}`,
    ``,
    `async function rejectsInvalidInput(): Promise<void> {`,
    `  const service = new ${names.service}();`,
    `  const error = await rejection(service.create(invalid()));`,
    `  expect(error).toBeInstanceOf(ValidationError);`,
    `  expect(error).toMatchObject({ code: 'VALIDATION' });`,
    `  expect(JSON.stringify((error as ValidationError).issues)).toContain(${quote(JSON.stringify(invalid.field))});`,
    `  await expect(service.list({})).resolves.toMatchObject({ total: 0 });`,
    `}`,
    ``,
    `async function reportsUnknownIds(): Promise<void> {`,
    `  const service = new ${names.service}();`,
    `  // One call at a time, so no rejection is left unobserved while another is awaited.`,
    `  for (const attempt of [() => service.get(unknownId), () => service.update(unknownId, patch()), () => service.delete(unknownId)]) {`,
    `    const error = await rejection(attempt());`,
    `    expect(error).toBeInstanceOf(NotFoundError);`,
    `    expect(error).toMatchObject({ code: 'NOT_FOUND' });`,
    `  }`,
    `}`,
    ``,
    `describe(${quote(`${names.service} (acceptance)`)}, () => {`,
    `  it(${quote(`creates a ${conv.camel} and reads it back by id`)}, createsAndReadsBack);`,
    `  it(${quote(`lists ${plural} a page at a time with the total`)}, listsAPageWithTheTotal);`,
    `  it(${quote(`updates a ${conv.camel} and keeps its id`)}, updatesAndKeepsTheId);`,
    `  it(${quote(`deletes a ${conv.camel}, after which it is not found`)}, deletesThenNotFound);`,
    `  it(${quote(`rejects a field of the wrong type ("${invalid.field}") with a ValidationError and stores nothing`)}, rejectsInvalidInput);`,
  );
  if (required) {
    push(
      `  it(${quote(`rejects a ${conv.camel} without its required field "${required.name}"`)}, async () => {`,
      `    const service = new ${names.service}();`,
      `    const missing: Record<string, unknown> = { ...sample() };`,
      `    delete missing[${quote(required.name)}];`,
      `    expect(await rejection(service.create(missing as unknown as ${names.createInput}))).toBeInstanceOf(ValidationError);`,
      `  });`,
    );
  }
  push(
    `  it('rejects an update with a field of the wrong type', async () => {`,
    `    const service = new ${names.service}();`,
    `    const created = await service.create(sample());`,
    `    expect(await rejection(service.update(created.id, invalidPatch()))).toBeInstanceOf(ValidationError);`,
    `    await expect(service.get(created.id)).resolves.toEqual(created);`,
    `  });`,
    `  it('reports unknown ids with NotFoundError for get, update and delete', reportsUnknownIds);`,
    `  it('caps the page size at 100 and rejects a negative or fractional offset or limit', async () => {`,
    `    const service = new ${names.service}();`,
    `    await expect(service.list({ limit: 1000 })).resolves.toMatchObject({ limit: 100 });`,
    `    for (const query of [{ offset: -1 }, { limit: -5 }, { offset: 1.5 }, { limit: 2.5 }]) {`,
    `      expect({ query, error: await rejection(service.list(query)) }).toEqual({ query, error: expect.any(ValidationError) });`,
    `    }`,
    `  });`,
    `});`,
    ``,
    ...renderHttpTests(conv, routes.collection, invalid.field),
    ...renderCriteria(entity, requirements),
  );
  return `${lines.join('\n')}\n`;
}

function renderHttpTests(conv: EntityConvention, collection: string, invalidField: string): string[] {
  const names = conv.exports;
  return [
    `describe(${quote(`${conv.pascal} HTTP API (acceptance)`)}, () => {`,
    `  let server: http.Server;`,
    `  let port = 0;`,
    ``,
    `  beforeEach(async () => {`,
    `    server = ${names.createServer}(new ${names.service}());`,
    `    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));`,
    `    port = (server.address() as AddressInfo).port;`,
    `  });`,
    ``,
    `  afterEach(async () => {`,
    `    await new Promise<void>((resolve) => server.close(() => resolve()));`,
    `  });`,
    ``,
    `  /** One request on its own connection; the body parsed as JSON when it is JSON. */`,
    `  function request(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Json }> {`,
    `    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));`,
    `    return new Promise((resolve, reject) => {`,
    `      const headers: http.OutgoingHttpHeaders = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };`,
    `      const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {`,
    `        let text = '';`,
    `        res.setEncoding('utf8');`,
    `        res.on('data', (chunk: string) => (text += chunk));`,
    `        res.on('end', () => {`,
    `          let parsed: Json = text;`,
    `          try {`,
    `            parsed = text === '' ? undefined : JSON.parse(text);`,
    `          } catch {`,
    `            // not JSON: the assertions on it will say so`,
    `          }`,
    `          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });`,
    `        });`,
    `      });`,
    `      req.on('error', reject);`,
    `      req.end(payload);`,
    `    });`,
    `  }`,
    ``,
    `  it(${quote(`POST ${collection} creates: 201, the record and its Location`)}, async () => {`,
    `    const res = await request('POST', ${quote(collection)}, sample());`,
    `    expect(res.status).toBe(201);`,
    `    expect(res.headers['content-type']).toMatch(/application\\/json/);`,
    `    expect(res.body).toMatchObject(sample());`,
    `    expect(typeof res.body.id).toBe('string');`,
    `    expect(res.headers.location).toBe(\`${collection}/\${encodeURIComponent(res.body.id)}\`);`,
    `  });`,
    ``,
    `  it(${quote(`GET ${collection}/:id returns the record`)}, async () => {`,
    `    const created = (await request('POST', ${quote(collection)}, sample())).body;`,
    `    const res = await request('GET', \`${collection}/\${encodeURIComponent(created.id)}\`);`,
    `    expect(res.status).toBe(200);`,
    `    expect(res.headers['content-type']).toMatch(/application\\/json/);`,
    `    expect(res.body).toEqual(created);`,
    `  });`,
    ``,
    `  it(${quote(`GET ${collection} pages with offset and limit`)}, async () => {`,
    `    await request('POST', ${quote(collection)}, sample());`,
    `    await request('POST', ${quote(collection)}, otherSample());`,
    `    const all = await request('GET', ${quote(collection)});`,
    `    expect(all.status).toBe(200);`,
    `    expect(all.body).toMatchObject({ total: 2, offset: 0, limit: 20 });`,
    `    expect(all.body.items).toHaveLength(2);`,
    `    const page = await request('GET', ${quote(`${collection}?offset=1&limit=1`)});`,
    `    expect(page.status).toBe(200);`,
    `    expect(page.body).toMatchObject({ total: 2, offset: 1, limit: 1 });`,
    `    expect(page.body.items).toHaveLength(1);`,
    `  });`,
    ``,
    `  it(${quote(`PATCH ${collection}/:id updates the record`)}, async () => {`,
    `    const created = (await request('POST', ${quote(collection)}, sample())).body;`,
    `    const res = await request('PATCH', \`${collection}/\${encodeURIComponent(created.id)}\`, patch());`,
    `    expect(res.status).toBe(200);`,
    `    expect(res.body).toMatchObject({ ...sample(), ...patch(), id: created.id });`,
    `  });`,
    ``,
    `  it(${quote(`DELETE ${collection}/:id answers 204, then the record is gone (404)`)}, async () => {`,
    `    const created = (await request('POST', ${quote(collection)}, sample())).body;`,
    `    const res = await request('DELETE', \`${collection}/\${encodeURIComponent(created.id)}\`);`,
    `    expect(res.status).toBe(204);`,
    `    const after = await request('GET', \`${collection}/\${encodeURIComponent(created.id)}\`);`,
    `    expect(after.status).toBe(404);`,
    `    expect(after.body).toMatchObject({ error: 'NotFound' });`,
    `  });`,
    ``,
    `  it(${quote(`POST with a field of the wrong type ("${invalidField}") answers 400 with the issues`)}, async () => {`,
    `    const res = await request('POST', ${quote(collection)}, invalid());`,
    `    expect(res.status).toBe(400);`,
    `    expect(res.headers['content-type']).toMatch(/application\\/json/);`,
    `    expect(res.body.error).toBe('ValidationError');`,
    `    expect(Array.isArray(res.body.issues) && res.body.issues.length > 0).toBe(true);`,
    `    expect(JSON.stringify(res.body.issues)).toContain(${quote(JSON.stringify(invalidField))});`,
    `  });`,
    ``,
    `  it('GET ${collection} caps the limit at 100 and answers 400 to a negative offset', async () => {`,
    `    const capped = await request('GET', ${quote(`${collection}?limit=1000`)});`,
    `    expect(capped.status).toBe(200);`,
    `    expect(capped.body).toMatchObject({ limit: 100 });`,
    `    const negative = await request('GET', ${quote(`${collection}?offset=-1`)});`,
    `    expect(negative.status).toBe(400);`,
    `    expect(negative.body).toMatchObject({ error: 'ValidationError' });`,
    `  });`,
    ``,
    `  it('POST with malformed JSON answers 400', async () => {`,
    `    const res = await request('POST', ${quote(collection)}, undefined, '{"not json');`,
    `    expect(res.status).toBe(400);`,
    `    expect(res.body).toMatchObject({ error: 'ValidationError' });`,
    `  });`,
    ``,
    `  it('unknown ids answer 404 for GET, PATCH and DELETE', async () => {`,
    `    for (const method of ['GET', 'PATCH', 'DELETE']) {`,
    `      const res = await request(method, \`${collection}/\${unknownId}\`, method === 'PATCH' ? patch() : undefined);`,
    `      expect({ method, status: res.status }).toEqual({ method, status: 404 });`,
    `      expect(res.body).toMatchObject({ error: 'NotFound' });`,
    `    }`,
    `  });`,
    ``,
    `  it('other methods answer 405', async () => {`,
    `    expect((await request('PUT', ${quote(collection)}, sample())).status).toBe(405);`,
    `    const created = (await request('POST', ${quote(collection)}, sample())).body;`,
    `    expect((await request('PUT', \`${collection}/\${encodeURIComponent(created.id)}\`, sample())).status).toBe(405);`,
    `  });`,
    `});`,
    ``,
  ];
}

/** A test per criterion a derived check covers; an `it.todo` naming each one that needs a person. */
function renderCriteria(entity: EntitySpec, requirements: RequirementSpec[]): string[] {
  const withCriteria = requirements.filter((r) => r.acceptance.length > 0);
  if (withCriteria.length === 0) return [];
  const lines = [`describe(${quote(`${entity.name} acceptance criteria`)}, () => {`];
  for (const requirement of withCriteria) {
    for (const criterion of requirement.acceptance) {
      const check = derivedCheckFor(criterion);
      const title = quote(`${requirement.id}: ${criterion}`);
      lines.push(check ? `  it(${title}, ${CHECK_FUNCTION[check]});` : `  it.todo(${title});`);
    }
  }
  lines.push(`});`, ``);
  return lines;
}

/** Criteria of requirements that name no entity: each one an `it.todo`, nothing can be derived. */
export function renderRequirementTodos(requirements: RequirementSpec[], specSource: string): string | undefined {
  const withCriteria = requirements.filter((r) => r.acceptance.length > 0);
  if (withCriteria.length === 0) return undefined;
  const lines = [
    `/**`,
    ` * Acceptance criteria from ${specSource} that name no entity, written by \`sparc tdd generate\`.`,
    ` * Each is an it.todo until someone writes the test: jest lists it as todo, never as passing.`,
    ` */`,
  ];
  for (const requirement of withCriteria) {
    lines.push(`describe(${quote(`${requirement.id}: ${requirement.text}`)}, () => {`);
    for (const criterion of requirement.acceptance) lines.push(`  it.todo(${quote(criterion)});`);
    lines.push(`});`, ``);
  }
  return `${lines.join('\n')}`;
}
