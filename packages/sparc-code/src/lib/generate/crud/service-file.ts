import type { CrudContext } from './context';

/** `<kebab>.service.ts`: create, get, list with paging, update and delete, validated, with typed errors. */
export function renderServiceFile({ conv }: CrudContext): string {
  const e = conv.exports;
  const p = conv.pascal;
  return `import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '${conv.imports.errors}';
import { ${e.inMemoryRepository}, type ${e.repository} } from '${conv.imports.repository}';
import { ${e.createSchema}, ${e.schema}, ${e.updateSchema}, type ${e.type} } from '${conv.imports.schema}';

/** Which page of ${p} records \`list\` returns. */
export interface ${p}ListOptions {
  /** Records to skip. @default 0 */
  offset?: number | undefined;
  /** Records to return, at most 100 (larger values are capped). @default 20 */
  limit?: number | undefined;
}

/** One page of ${p} records, and how many there are in all. */
export interface ${p}Page {
  items: ${e.type}[];
  total: number;
  offset: number;
  limit: number;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const ListOptionsSchema = z.object({
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).optional(),
});

/** Validates \`input\` with \`schema\`; a ValidationError carrying zod's issues when it does not match. */
function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => \`\${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: \${issue.message}\`);
  throw new ValidationError(\`invalid \${what}: \${problems.join('; ')}\`, result.error.issues);
}

/**
 * ${p} records: every method validates its input and rejects with a ValidationError (bad input)
 * or a NotFoundError (unknown id).
 */
export class ${e.service} {
  private readonly repository: ${e.repository};

  constructor(repository: ${e.repository} = new ${e.inMemoryRepository}()) {
    this.repository = repository;
  }

  async create(input: unknown): Promise<${e.type}> {
    const fields = parse(${e.createSchema}, input, '${p}');
    return this.repository.insert({ id: randomUUID(), ...fields });
  }

  async get(id: string): Promise<${e.type}> {
    const record = await this.repository.findById(id);
    if (record === undefined) throw new NotFoundError('${p}', id);
    return record;
  }

  async list(options: ${p}ListOptions = {}): Promise<${p}Page> {
    const paging = parse(ListOptionsSchema, options, 'paging');
    const offset = paging.offset ?? 0;
    const limit = Math.min(paging.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    const page = await this.repository.findPage(offset, limit);
    return { items: page.items, total: page.total, offset, limit };
  }

  async update(id: string, patch: unknown): Promise<${e.type}> {
    const current = await this.get(id);
    const changes = parse(${e.updateSchema}, patch, '${p} update');
    // Checked whole again: a patch may set a required field to undefined.
    const next = parse(${e.schema}, { ...current, ...changes, id }, '${p} update');
    const replaced = await this.repository.replace(next);
    if (replaced === undefined) throw new NotFoundError('${p}', id);
    return replaced;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.remove(id))) throw new NotFoundError('${p}', id);
  }
}
`;
}
