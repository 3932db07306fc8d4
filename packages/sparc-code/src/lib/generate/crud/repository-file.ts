import type { CrudContext } from './context';

/** `<kebab>.repository.ts`: the storage interface and an in-memory implementation. */
export function renderRepositoryFile({ conv }: CrudContext): string {
  const { type, repository, inMemoryRepository } = conv.exports;
  return `import type { ${type} } from '${conv.imports.schema}';

/** Where ${conv.pascal} records are kept. Implementations hand out copies, so callers cannot change a stored record by accident. */
export interface ${repository} {
  insert(record: ${type}): Promise<${type}>;
  findById(id: string): Promise<${type} | undefined>;
  /** \`limit\` records from \`offset\`, in insertion order, and how many there are in all. */
  findPage(offset: number, limit: number): Promise<{ items: ${type}[]; total: number }>;
  /** Replaces the record with the same id; resolves to \`undefined\` when there is none. */
  replace(record: ${type}): Promise<${type} | undefined>;
  /** Resolves to whether a record was removed. */
  remove(id: string): Promise<boolean>;
}

/** A ${repository} in a Map: for tests, demos, and services that keep nothing across restarts. */
export class ${inMemoryRepository} implements ${repository} {
  private readonly records = new Map<string, ${type}>();

  async insert(record: ${type}): Promise<${type}> {
    this.records.set(record.id, structuredClone(record));
    return structuredClone(record);
  }

  async findById(id: string): Promise<${type} | undefined> {
    const record = this.records.get(id);
    return record === undefined ? undefined : structuredClone(record);
  }

  async findPage(offset: number, limit: number): Promise<{ items: ${type}[]; total: number }> {
    const all = [...this.records.values()];
    return { items: all.slice(offset, offset + limit).map((record) => structuredClone(record)), total: all.length };
  }

  async replace(record: ${type}): Promise<${type} | undefined> {
    if (!this.records.has(record.id)) return undefined;
    this.records.set(record.id, structuredClone(record));
    return structuredClone(record);
  }

  async remove(id: string): Promise<boolean> {
    return this.records.delete(id);
  }
}
`;
}
