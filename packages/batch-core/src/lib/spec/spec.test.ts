import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { entityConvention, invalidEntityInput, projectConvention, sampleEntityInput, specConventions } from './convention';
import { parseFieldList, parseFieldShorthand } from './fields';
import { findSpecFile, loadSpec, parseSpec, SpecError } from './load';
import { kebabCase, pascalCase, pluralize, words } from './naming';
import { EntitySchema } from './schema';

describe('field shorthand', () => {
  it('parses types, optional markers, arrays and enums', () => {
    expect(parseFieldList('a:string,b:number,c:boolean,d:date')).toEqual([
      { name: 'a', type: 'string', optional: false, array: false },
      { name: 'b', type: 'number', optional: false, array: false },
      { name: 'c', type: 'boolean', optional: false, array: false },
      { name: 'd', type: 'date', optional: false, array: false },
    ]);
    expect(parseFieldShorthand('dueAt?:date')).toMatchObject({ name: 'dueAt', optional: true });
    expect(parseFieldShorthand('note:string?')).toMatchObject({ name: 'note', optional: true });
    expect(parseFieldShorthand('tags:string[]')).toMatchObject({ array: true, type: 'string' });
    expect(parseFieldShorthand('status:enum(open|done)')).toMatchObject({ type: 'enum', values: ['open', 'done'] });
  });

  it('names the bad field and the problem', () => {
    expect(() => parseFieldShorthand('title')).toThrow(/"title" is not a field/);
    expect(() => parseFieldShorthand('title:text')).toThrow(/field "title" has unknown type "text"/);
    expect(() => parseFieldShorthand('s:enum()')).toThrow(/enum field "s" needs its values/);
    expect(() => parseFieldList('a:string,a:number')).toThrow(/field "a" is declared twice/);
    expect(() => parseFieldList(' , ')).toThrow(/at least one field/);
  });
});

describe('naming', () => {
  it('splits and joins words in every case style', () => {
    expect(words('HTTPServer')).toEqual(['http', 'server']);
    expect(pascalCase('order_line')).toBe('OrderLine');
    expect(kebabCase('OrderLine')).toBe('order-line');
    expect(pluralize('Category')).toBe('Categories');
    expect(pluralize('Box')).toBe('Boxes');
    expect(pluralize('Person')).toBe('People');
    expect(pluralize('Todo')).toBe('Todos');
    expect(pluralize('day')).toBe('days');
  });
});

describe('SparcSpec', () => {
  const valid = {
    name: 'shop',
    entities: [{ name: 'OrderLine', fields: ['qty:integer', { name: 'sku', type: 'string' }, 'status:enum(open|paid)'] }],
    services: [
      { name: 'db', url: 'http://127.0.0.1:5000', health: '/health' },
      { name: 'api', url: 'http://127.0.0.1:3000', health: '/health', dependsOn: ['db'], probes: [{ method: 'GET', path: '/order-lines' }] },
    ],
    requirements: [{ id: 'R1', text: 'Orders can be listed', acceptance: ['GET /order-lines returns 200'], entity: 'OrderLine' }],
  };

  it('accepts a valid spec, normalising shorthand fields and filling defaults', () => {
    const spec = parseSpec(valid);
    expect(spec.entities[0].fields.map((f) => f.name)).toEqual(['qty', 'sku', 'status']);
    expect(spec.entities[0].fields[2].values).toEqual(['open', 'paid']);
    expect(spec.targets).toEqual({ src: 'src', modules: [] });
  });

  it('reports each problem with its path', () => {
    const bad = {
      name: 'shop',
      entities: [{ name: 'orderLine', fields: ['qty:float', { name: 'id', type: 'string' }] }],
      services: [{ name: 'api', url: 'not a url', health: 'health', dependsOn: ['nope'] }],
      requirements: [{ id: 'R1', text: 'x', entity: 'Ghost' }],
    };
    let error: SpecError | undefined;
    try {
      parseSpec(bad, 'sparc.spec.json');
    } catch (caught) {
      error = caught as SpecError;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect(error?.code).toBe('SPEC_INVALID');
    const paths = error?.issues.map((i) => i.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['entities[0].name', 'entities[0].fields[0]', 'entities[0].fields[1].name', 'services[0].url', 'services[0].health']));
    expect(error?.message).toContain('invalid spec sparc.spec.json');
  });

  it('checks references between sections once each section is valid on its own', () => {
    const dangling = {
      name: 'shop',
      entities: [{ name: 'Order', fields: ['total:number'] }],
      services: [{ name: 'api', url: 'http://127.0.0.1:3000', health: '/health', dependsOn: ['nope'] }, { name: 'api', url: 'http://127.0.0.1:3001', health: '/health' }],
      requirements: [{ id: 'R1', text: 'x', entity: 'Ghost' }],
    };
    expect(() => parseSpec(dangling)).toThrow(SpecError);
    try {
      parseSpec(dangling);
    } catch (caught) {
      const issues = (caught as SpecError).issues;
      expect(issues).toEqual(
        expect.arrayContaining([
          { path: 'services[0].dependsOn[0]', message: 'unknown service "nope"' },
          { path: 'services[1].name', message: 'duplicate name "api"' },
          { path: 'requirements[0].entity', message: 'unknown entity "Ghost"' },
        ]),
      );
    }
  });

  it('refuses duplicate fields within an entity', () => {
    const parsed = EntitySchema.safeParse({ name: 'Todo', fields: ['a:string', 'a:number'] });
    expect(parsed.success).toBe(false);
  });

  it('loads JSON and YAML files and finds the spec in a folder', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spec-'));
    try {
      expect(await findSpecFile(dir)).toBeUndefined();
      await fsp.writeFile(path.join(dir, 'sparc.spec.yaml'), 'name: shop\nentities:\n  - name: Todo\n    fields: ["title:string", "done:boolean"]\n');
      expect(await findSpecFile(dir)).toBe(path.join(dir, 'sparc.spec.yaml'));
      const spec = await loadSpec(path.join(dir, 'sparc.spec.yaml'));
      expect(spec.entities[0].fields[1]).toMatchObject({ name: 'done', type: 'boolean' });
      await fsp.writeFile(path.join(dir, 'broken.json'), '{ "name": ');
      await expect(loadSpec(path.join(dir, 'broken.json'))).rejects.toThrow(/broken.json is not valid JSON/);
      await expect(loadSpec(path.join(dir, 'missing.json'))).rejects.toThrow(/no such file/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('naming convention', () => {
  it('places an entity under <src>/<kebab>/ with the agreed file and export names', () => {
    const c = entityConvention({ name: 'OrderLine' }, 'app/src');
    expect(c.dir).toBe('app/src/order-line');
    expect(c.files.service).toBe('app/src/order-line/order-line.service.ts');
    expect(c.files.acceptanceTest).toBe('app/src/order-line/order-line.acceptance.test.ts');
    expect(c.exports.service).toBe('OrderLineService');
    expect(c.exports.createServer).toBe('createOrderLineServer');
    expect(c.routes.collection).toBe('/order-lines');
    expect(c.routes.item('a b')).toBe('/order-lines/a%20b');
    expect(entityConvention({ name: 'Person', plural: 'Staff' }).routes.collection).toBe('/staff');
    expect(projectConvention('./src')).toMatchObject({ errors: 'src/errors.ts', app: 'src/app.ts', main: 'src/main.ts' });
  });

  it('derives deterministic sample data from field types, and an input that breaks a required field', () => {
    const spec = parseSpec({ name: 's', entities: [{ name: 'Todo', fields: ['title:string', 'done:boolean', 'due?:date', 'rank:integer', 'state:enum(a|b)', 'tags:string[]'] }] });
    const [todo] = specConventions(spec);
    expect(todo.kebab).toBe('todo');
    const first = sampleEntityInput(spec.entities[0]);
    expect(first).toEqual({ title: 'title-alpha', done: true, due: '2025-01-01T12:00:00.000Z', rank: 1, state: 'a', tags: ['tags-alpha'] });
    expect(sampleEntityInput(spec.entities[0], 1)).not.toEqual(first);
    const invalid = invalidEntityInput(spec.entities[0]);
    expect(invalid.field).toBe('title');
    expect(typeof invalid.input.title).toBe('number');
  });
});
