import type { CrudContext } from './context';

/** `index.ts`: the entity's modules in one import. */
export function renderIndexFile({ conv }: CrudContext): string {
  const { imports } = conv;
  return [imports.schema, imports.repository, imports.service, imports.http].map((m) => `export * from '${m}';\n`).join('');
}
