import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { entityConvention, isProcessLive, projectConvention } from '@sparc/batch-core';
import type { GenerateData } from '../lib/mode/data';
import { runJest, runTsc, startMain, useRepoToolchain } from './helpers/generated-project';
import { runCode, tempWorkspace, type TempWorkspace } from './helpers/workspace';

/** Two entities that between them use every field kind: each type, optional fields, arrays, an enum. */
const SPEC = {
  name: 'shop',
  entities: [
    // The first required field is an array, so the invalid samples break an array (issue path `tags.0`).
    { name: 'TodoItem', fields: ['tags:string[]', 'title:string', 'done:boolean', 'priority:integer', 'dueAt?:date', 'status:enum(open|in-progress|done)', 'estimate?:number'] },
    // Every field optional: an empty object is a valid record.
    { name: 'Person', plural: 'People', fields: ['nickname?:string', 'born?:date', 'score?:number', 'aliases?:string[]', { name: 'verified', type: 'boolean', optional: true, description: 'Whether the e-mail address was confirmed' }] },
  ],
};

describe('generated CRUD for two entities', () => {
  let temp: TempWorkspace;
  let data: GenerateData;

  beforeAll(async () => {
    temp = await tempWorkspace('crud');
    await fsp.writeFile(path.join(temp.dir, 'sparc.spec.json'), JSON.stringify(SPEC, null, 2));
    const result = await runCode<GenerateData>(temp.workspace, 'generate', { spec: 'sparc.spec.json' });
    expect(result.summary).toMatch(/created/);
    expect(result.status).toBe('passed');
    data = result.data as GenerateData;
    await useRepoToolchain(temp.dir);
  });

  afterAll(() => temp.cleanup());

  it('writes every file of the convention for each entity, plus errors.ts, app.ts, main.ts and openapi.json', async () => {
    const expected = [
      // Every file of the convention except the acceptance test, which `sparc tdd` writes.
      ...SPEC.entities.flatMap((entity) => Object.entries(entityConvention(entity).files).filter(([key]) => key !== 'acceptanceTest').map(([, file]) => file)),
      projectConvention().errors,
      projectConvention().app,
      projectConvention().main,
      projectConvention().openapi,
    ].sort();
    expect(data.created).toEqual(expected);
    expect(data.entities).toEqual(['TodoItem', 'Person']);
    for (const file of expected) expect((await fsp.stat(path.join(temp.dir, file))).isFile()).toBe(true);
    const people = entityConvention({ name: 'Person', plural: 'People' });
    const openapi = JSON.parse(await fsp.readFile(path.join(temp.dir, people.files.openapi), 'utf8')) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(['/people', '/people/{id}']);
  });

  it('compiles with tsc --strict (and stricter flags) and no edits', () => {
    const tsc = runTsc(temp.dir);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('passes its own generated tests, run for real by jest', async () => {
    const { summary } = await runJest(temp.dir);
    const failures = summary.testResults.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(summary.numTotalTestSuites).toBe(4);
    expect(summary.numFailedTests).toBe(0);
    // 10 service tests and 11 HTTP tests per entity.
    expect(summary.numPassedTests).toBe(42);
    expect(summary.success).toBe(true);
  });

  it('serves every entity and /health from src/main.ts on HOST and PORT', async () => {
    const server = await startMain(temp.dir);
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const person = await fetch(`${server.url}/people`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nickname: 'Ada', born: '1815-12-10T00:00:00.000Z' }),
      });
      expect(person.status).toBe(201);
      const created = (await person.json()) as { id: string };
      expect(person.headers.get('location')).toBe(`/people/${created.id}`);
      const todos = await fetch(`${server.url}/todo-items?limit=5`);
      expect(await todos.json()).toEqual({ items: [], total: 0, offset: 0, limit: 5 });
      expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
      // The app-wide OpenAPI document lists exactly what the app serves.
      const api = JSON.parse(await fsp.readFile(path.join(temp.dir, projectConvention().openapi), 'utf8')) as { info: { title: string }; paths: Record<string, Record<string, unknown>> };
      expect(api.info.title).toBe('shop');
      expect(Object.keys(api.paths).sort()).toEqual(['/health', '/people', '/people/{id}', '/todo-items', '/todo-items/{id}']);
      for (const route of Object.keys(api.paths).filter((p) => !p.includes('{'))) expect((await fetch(`${server.url}${route}`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(isProcessLive(server.pid)).toBe(false);
  });
});
