import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseSpec } from '@sparc/batch-core';
import { tempWorkspace } from '../../../pipeline/__tests__/probe-modes';
import { specMode } from '../index';
import { runIn } from './run-mode';

interface SpecData {
  file?: string;
  valid: boolean;
  checks: Record<string, { errors: number; warnings: number; infos: number }>;
  issues: Array<{ check: string; severity: string; path: string; message: string; line?: number }>;
}

describe('spec mode', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let busy: net.Server;
  let port: number;
  beforeAll(async () => {
    busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));
  beforeEach(async () => ({ dir, cleanup } = await tempWorkspace('sparc-spec-')));
  afterEach(() => cleanup());

  function spec() {
    return {
      name: 'shop',
      entities: [
        { name: 'Order', fields: ['total:number', 'status:enum(open|paid|open)', { name: 'Status', type: 'string' }] },
        { name: 'Item', plural: 'Orders', fields: [{ name: 'note', type: 'string', optional: true }] },
      ],
      services: [
        { name: 'api', start: 'definitely-not-a-command-xyz serve', url: `http://127.0.0.1:${port}`, health: '/health', dependsOn: ['worker'], openapi: 'docs/missing.json' },
        { name: 'worker', url: `http://localhost:${port}`, health: '/h', dependsOn: ['api'] },
      ],
      requirements: [
        { id: 'R1', text: 'Orders show up', entity: 'Order', priority: 'must', acceptance: ['Pages render quickly and look good', '`discount` is applied to the `total`'] },
        { id: 'R2', text: 'Something else', priority: 'must' },
      ],
      targets: { src: '../outside' },
    };
  }

  it('checks completeness, consistency, testability and feasibility, each finding at its spec path and line', async () => {
    const text = JSON.stringify(spec(), null, 2);
    await fsp.writeFile(path.join(dir, 'sparc.spec.json'), text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const result = await runIn<SpecData>(dir, specMode);
    expect(result.status).toBe('failed');
    const data = result.data as SpecData;
    expect(data.valid).toBe(true);
    expect(Object.keys(data.checks).sort()).toEqual(['completeness', 'consistency', 'feasibility', 'testability']);

    const expected: Array<[string, string, number]> = [
      ['spec.consistency.duplicate-enum-values', 'entities[0].fields[1].values', lineOf('"status:enum(open|paid|open)"')],
      ['spec.consistency.fields-differ-by-case', 'entities[0].fields[2].name', lineOf('"name": "Status"')],
      ['spec.consistency.route-collision', 'entities[1].name', lineOf('"name": "Item"')],
      ['spec.completeness.all-fields-optional', 'entities[1].fields', lineOf('"name": "Item"') + 2],
      ['spec.consistency.service-dependency-cycle', 'services[0].dependsOn', lineOf('"dependsOn": [') ],
      ['spec.consistency.same-address', 'services[1].url', lineOf('"url": "http://localhost:')],
      ['spec.feasibility.start-program-not-found', 'services[0].start', lineOf('"start": "definitely-not-a-command-xyz serve"')],
      ['spec.feasibility.port-in-use', 'services[0].url', lineOf(`"url": "http://127.0.0.1:${port}"`)],
      ['spec.feasibility.openapi-missing', 'services[0].openapi', lineOf('"openapi": "docs/missing.json"')],
      ['spec.completeness.service-without-contract', 'services[1]', lineOf('"name": "worker"') - 1],
      ['spec.testability.vague-criterion', 'requirements[0].acceptance[0]', lineOf('"Pages render quickly and look good"')],
      ['spec.consistency.unknown-field', 'requirements[0].acceptance[1]', lineOf('"`discount` is applied to the `total`"')],
      ['spec.completeness.requirement-without-acceptance', 'requirements[1]', lineOf('"id": "R2"') - 1],
      ['spec.feasibility.src-outside-workspace', 'targets.src', lineOf('"src": "../outside"')],
    ];
    for (const [rule, specPath, line] of expected) {
      const finding = result.findings.find((f) => f.rule === rule && f.message.startsWith(`${specPath}: `));
      expect({ rule, specPath, finding: finding ? { file: finding.file, line: finding.line } : undefined }).toEqual({ rule, specPath, finding: { file: 'sparc.spec.json', line } });
    }
    expect(result.findings.find((f) => f.rule === 'spec.consistency.unknown-field')?.message).toContain('mentions `discount`, which Order does not have');
    expect(result.findings.find((f) => f.rule === 'spec.completeness.requirement-without-acceptance')?.severity).toBe('error');
    expect(result.findings.find((f) => f.rule === 'spec.feasibility.port-in-use')?.severity).toBe('warning');
    expect(data.checks.feasibility.errors).toBeGreaterThanOrEqual(3);
    expect(result.artifacts).toEqual([`.sparc/reports/${result.runId}/spec/spec-review.json`]);
  });

  it('passes a sound spec, and prefers the spec the pipeline hands over', async () => {
    const sound = {
      name: 'todo',
      description: 'Todos over HTTP',
      entities: [{ name: 'Todo', fields: ['title:string', 'done:boolean'] }],
      requirements: [{ id: 'R1', text: 'Create a Todo', entity: 'Todo', acceptance: ['POST /todos with a title returns 201 and the Todo', 'GET /todos/{id} of an unknown id returns 404'] }],
    };
    await fsp.writeFile(path.join(dir, 'sparc.spec.yaml'), `name: todo\nentities:\n  - name: lower\n    fields: []\n`);
    const result = await runIn<SpecData>(dir, specMode, {}, { spec: parseSpec(sound) });
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(result.status).toBe('passed');
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'spec.testability.derivable-criteria', message: 'requirements: 2 of 2 acceptance criteria name a status code or an operation on an entity (tests can be derived); the rest become it.todo' }));
  });

  it('fails on a spec that does not validate, with each schema problem at its path and line (YAML too)', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.spec.yaml'), ['name: shop', 'entities:', '  - name: order', '    fields:', '      - title:strin', 'requirements:', '  - id: R1', '    text: x', '    entity: Nope', ''].join('\n'));
    const result = await runIn<SpecData>(dir, specMode);
    expect(result.status).toBe('failed');
    const where = Object.fromEntries(result.findings.map((f) => [f.message.split(':')[0], f.line]));
    expect(where['entities[0].name']).toBe(3);
    expect(where['entities[0].fields[0]']).toBe(5);
    expect(result.findings.every((f) => f.rule === 'spec.schema.invalid' && f.file === 'sparc.spec.yaml')).toBe(true);
    expect((result.data as SpecData).valid).toBe(false);
  });

  it('fails when there is no spec at all, and reads the file given with --spec', async () => {
    const none = await runIn<SpecData>(dir, specMode);
    expect(none.status).toBe('failed');
    expect(none.findings[0]).toMatchObject({ rule: 'spec.schema.missing', message: expect.stringContaining('no spec: add sparc.spec.json') });
    await fsp.mkdir(path.join(dir, 'specs'));
    await fsp.writeFile(path.join(dir, 'specs', 'app.json'), JSON.stringify({ name: 'x', entities: [{ name: 'Note', fields: ['body:string'] }] }));
    const given = await runIn<SpecData>(dir, specMode, { spec: 'specs/app.json' });
    expect((given.data as SpecData).file).toBe('specs/app.json');
    expect(given.findings.find((f) => f.rule === 'spec.completeness.no-requirements')).toMatchObject({ file: 'specs/app.json', line: 1 });
  });
});
