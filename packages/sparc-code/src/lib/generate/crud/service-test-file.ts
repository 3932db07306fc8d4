import { baseName, type CrudContext } from './context';
import { testData } from './test-data';

/** `<kebab>.service.test.ts`: the service against its in-memory repository. */
export function renderServiceTestFile(ctx: CrudContext): string {
  const { conv } = ctx;
  const e = conv.exports;
  const p = conv.pascal;
  const data = testData(ctx);
  return `import { NotFoundError, ValidationError } from '${conv.imports.errors}';
import { ${e.service} } from '${conv.imports.service}';

${data.declarations}

/** The fields a ValidationError's issues are about (the first step of each issue's path). */
function fieldsOf(error: ValidationError): string[] {
  return error.issues.map((issue) => String(issue.path[0]));
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('${e.service} (${baseName(conv.files.service)})', () => {
  let service: ${e.service};

  beforeEach(() => {
    service = new ${e.service}();
  });

  it('creates a ${p} with a generated id and the given fields', async () => {
    const created = await service.create(valid);
    expect(typeof created.id).toBe('string');
    expect(created.id).not.toBe('');
    expect(created).toEqual({ id: created.id, ...valid });
    expect(await service.get(created.id)).toEqual(created);
  });

  it('gives every ${p} its own id', async () => {
    const first = await service.create(valid);
    const second = await service.create(valid);
    expect(second.id).not.toBe(first.id);
  });

  it('rejects an invalid ${p} with a ValidationError naming the field', async () => {
    const error = await rejection(service.create(invalid));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION');
    expect(fieldsOf(error as ValidationError)).toContain('${data.invalidField}');
    expect((await service.list()).total).toBe(0);
  });

  it('rejects fields it does not know', async () => {
    await expect(service.create({ ...valid, ${data.unknownField}: true })).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists ${p} records a page at a time', async () => {
    const ids: string[] = [];
    for (const input of [valid, another, valid]) ids.push((await service.create(input)).id);
    const page = await service.list({ offset: 1, limit: 1 });
    expect(page.items.map((item) => item.id)).toEqual(ids.slice(1, 2));
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1 });
    const all = await service.list();
    expect(all.items.map((item) => item.id)).toEqual(ids);
    expect(all).toMatchObject({ total: 3, offset: 0, limit: 20 });
    expect((await service.list({ offset: 3 })).items).toEqual([]);
    expect((await service.list({ limit: 1000 })).limit).toBe(100);
  });

  it('rejects paging that is not a whole number in range', async () => {
    await expect(service.list({ offset: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.list({ limit: 2.5 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('updates the fields a patch names and keeps the others', async () => {
    const created = await service.create(valid);
    const updated = await service.update(created.id, patch);
    expect(updated).toEqual({ ...created, ...patch });
    expect(await service.get(created.id)).toEqual(updated);
  });

  it('rejects an invalid patch and keeps the ${p} as it was', async () => {
    const created = await service.create(valid);
    const error = await rejection(service.update(created.id, invalidPatch));
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldsOf(error as ValidationError)).toContain('${data.invalidField}');
    expect(await service.get(created.id)).toEqual(created);
  });

  it('deletes a ${p}', async () => {
    const created = await service.create(valid);
    await service.delete(created.id);
    await expect(service.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.delete(created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.list()).total).toBe(0);
  });

  it('rejects an unknown id with a NotFoundError', async () => {
    const error = await rejection(service.get('no-such-id'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe('NOT_FOUND');
    await expect(service.update('no-such-id', patch)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.delete('no-such-id')).rejects.toBeInstanceOf(NotFoundError);
  });
});
`;
}
