import { camelCase, kebabCase } from '@sparc/batch-core';
import type { GeneratorOutput } from '../types';

export interface ModuleInput {
  /** Any case: `string-utils`, `StringUtils`, `string utils`. */
  name: string;
  /** Workspace-relative folder. @default 'src' */
  dir?: string;
  description?: string;
}

/** `<dir>/<kebab>.ts` exporting one function, and `<dir>/<kebab>.test.ts` testing it. */
export function moduleGenerator(input: ModuleInput): GeneratorOutput {
  const kebab = kebabCase(input.name);
  const fn = camelCase(input.name);
  const dir = (input.dir ?? 'src').replace(/\/+$/, '');
  const prefix = dir === '' || dir === '.' ? '' : `${dir}/`;
  const doc = input.description?.trim() ? input.description.trim().replace(/\*\//g, '*\\/') : `The ${kebab} module.`;
  const source = `/** ${doc} */
export function ${fn}(): string {
  return '${kebab}';
}
`;
  const test = `import { ${fn} } from './${kebab}';

describe('${fn}', () => {
  it('returns the module name', () => {
    expect(${fn}()).toBe('${kebab}');
  });
});
`;
  return {
    files: [
      { path: `${prefix}${kebab}.ts`, content: source },
      { path: `${prefix}${kebab}.test.ts`, content: test },
    ],
    notes: [],
  };
}
