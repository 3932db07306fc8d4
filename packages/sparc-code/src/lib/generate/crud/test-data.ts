import { invalidEntityInput, sampleEntityInput, sampleFieldValue } from '@sparc/batch-core';
import { tsKey, tsLiteral } from '../../util/literal';
import type { CrudContext } from './context';

/** Sample records and changes for the generated tests, the same data `sparc tdd` derives from a spec. */
export interface TestData {
  /** `const valid = {...};` and friends, as source lines. */
  declarations: string;
  /** The field an update changes, and the one invalid input breaks. */
  patchField: string;
  invalidField: string;
  /** A key that is not a field of the entity. */
  unknownField: string;
}

export function testData({ fields, entity }: CrudContext): TestData {
  const patchTarget = fields[0];
  const invalid = invalidEntityInput(entity);
  const lines = [
    `const valid = ${tsLiteral(sampleEntityInput(entity, 0))};`,
    `const another = ${tsLiteral(sampleEntityInput(entity, 1))};`,
    `/** Breaks \`${invalid.field}\`: a value of the wrong type. */`,
    `const invalid = ${tsLiteral(invalid.input)};`,
    `const patch = { ${tsKey(patchTarget.name)}: ${tsLiteral(sampleFieldValue(patchTarget, 1))} };`,
    `const invalidPatch = { ${tsKey(invalid.field)}: ${tsLiteral(invalid.input[invalid.field])} };`,
  ];
  const names = new Set(fields.map((f) => f.name));
  let unknownField = 'notAField';
  while (names.has(unknownField)) unknownField += '_';
  return { declarations: lines.join('\n'), patchField: patchTarget.name, invalidField: invalid.field, unknownField };
}
