import { entityConvention, type EntityConvention, type EntitySpec, type FieldSpec } from '@sparc/batch-core';

/** Everything a CRUD file template needs about one entity. */
export interface CrudContext {
  entity: EntitySpec;
  fields: FieldSpec[];
  conv: EntityConvention;
  /** The entity's name as people read it in messages: `TodoItem`. */
  label: string;
}

export function crudContext(entity: EntitySpec, src: string): CrudContext {
  const conv = entityConvention(entity, src);
  return { entity, fields: entity.fields, conv, label: conv.pascal };
}

/** `./todo-item.schema` → `todo-item.schema`: the file a module specifier of the convention names. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
