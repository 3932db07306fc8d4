import { docComment, tsKey } from '../../util/literal';
import type { CrudContext } from './context';
import { zodExpression } from './fields';

/** `<kebab>.schema.ts`: the zod schemas of the entity and the types inferred from them. */
export function renderSchemaFile({ fields, conv, entity }: CrudContext): string {
  const e = conv.exports;
  const shape = fields.map((f) => `${docComment(f.description, '  ')}  ${tsKey(f.name)}: ${zodExpression(f)},`).join('\n');
  return `import { z } from 'zod';

${docComment(entity.description ?? `A ${conv.pascal} as accepted on create: every field, unknown ones refused.`)}export const ${e.createSchema} = z.strictObject({
${shape}
});

/** A change to a ${conv.pascal}: any of its fields. */
export const ${e.updateSchema} = ${e.createSchema}.partial();

/** A stored ${conv.pascal}: its fields and the id it was given. */
export const ${e.schema} = z.object({
  id: z.string(),
  ...${e.createSchema}.shape,
});

export type ${e.type} = z.infer<typeof ${e.schema}>;
export type ${e.createInput} = z.infer<typeof ${e.createSchema}>;
export type ${e.updateInput} = z.infer<typeof ${e.updateSchema}>;
`;
}
