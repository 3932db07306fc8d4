import { ValidationError } from '../errors';
import type { FieldSpec, FieldType } from './schema';

const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'integer', 'boolean', 'date', 'enum'];
const SHORTHAND = /^([A-Za-z_$][\w$]*)(\?)?:([a-z]+)(?:\(([^)]*)\))?(\[\])?(\?)?$/;

/**
 * Parses one field in the CLI's shorthand: `name:type`, with `?` for optional (after the name or
 * the type), `[]` for an array, and `enum(a|b|c)` for an enum. Examples: `title:string`,
 * `dueAt?:date`, `tags:string[]`, `status:enum(open|done)`.
 */
export function parseFieldShorthand(text: string, where = 'fields'): FieldSpec {
  const trimmed = text.trim();
  const match = SHORTHAND.exec(trimmed);
  if (!match) {
    throw new ValidationError(`${where}: "${trimmed}" is not a field (expected name:type, e.g. title:string, dueAt?:date, tags:string[], status:enum(open|done))`, [
      { path: where, message: `"${trimmed}" is not name:type` },
    ]);
  }
  const [, name, optionalAfterName, rawType, enumList, array, optionalAfterType] = match;
  const type = rawType as FieldType;
  if (!FIELD_TYPES.includes(type)) {
    throw new ValidationError(`${where}: field "${name}" has unknown type "${rawType}" (known: ${FIELD_TYPES.join(', ')})`, [
      { path: `${where}.${name}`, message: `unknown type "${rawType}"` },
    ]);
  }
  const field: FieldSpec = { name, type, optional: Boolean(optionalAfterName || optionalAfterType), array: Boolean(array) };
  if (type === 'enum') {
    const values = (enumList ?? '').split('|').map((v) => v.trim()).filter((v) => v.length > 0);
    if (values.length === 0) {
      throw new ValidationError(`${where}: enum field "${name}" needs its values, e.g. ${name}:enum(open|done)`, [{ path: `${where}.${name}`, message: 'enum without values' }]);
    }
    field.values = values;
  } else if (enumList !== undefined) {
    throw new ValidationError(`${where}: only enum fields take a value list ("${trimmed}")`, [{ path: `${where}.${name}`, message: 'value list on a non-enum field' }]);
  }
  return field;
}

/** Parses a comma list of shorthand fields (`a:string,b:number,c:boolean,d:date`). Enum value lists use `|`, so commas never split them. */
export function parseFieldList(text: string, where = 'fields'): FieldSpec[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new ValidationError(`${where}: at least one field is needed (e.g. title:string,done:boolean)`, [{ path: where, message: 'empty' }]);
  const fields = parts.map((p) => parseFieldShorthand(p, where));
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new ValidationError(`${where}: field "${f.name}" is declared twice`, [{ path: `${where}.${f.name}`, message: 'duplicate field' }]);
    seen.add(f.name);
  }
  return fields;
}
