import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeOptions } from '@sparc/batch-core/dist/lib/mode/describe-options';
import { toPlainSchema } from '@sparc/batch-core/dist/lib/mode/to-plain-schema';
import { architectDataSchema } from '../data';
import { architectOptionsSchema } from '../options';

/** The generated module, from the package root. A test holds it equal to `renderPlainSchemas()`. */
export const GENERATED_SCHEMAS_FILE = 'src/lib/plain/schemas.generated.ts';

/**
 * The architect mode's zod schemas written down as plain data: what the standalone CLI validates
 * and describes its options with, without loading zod. The zod schemas stay the source of truth.
 */
export function renderPlainSchemas(): string {
  const json = (value: unknown) => compactJson(value, '');
  return `// Generated from the zod schemas in options.ts and data.ts by render-schemas.ts; do not edit.
// Regenerate: npm run generate:plain-schemas (in packages/sparc-architect).
import type { OptionDescriptor, PlainSchema } from '@sparc/batch-core';

export const ARCHITECT_OPTION_DESCRIPTORS: readonly OptionDescriptor[] = ${json(describeOptions(architectOptionsSchema))};

export const ARCHITECT_OPTIONS_PLAIN: PlainSchema = ${json(toPlainSchema(architectOptionsSchema))};

export const ARCHITECT_DATA_PLAIN: PlainSchema = ${json(toPlainSchema(architectDataSchema))};
`;
}

/** JSON with each object or array on one line when it fits, so the generated file stays readable. */
function compactJson(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= 120 || value === null || typeof value !== 'object') return flat;
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => `${inner}${compactJson(item, inner)}`)
    : Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => `${inner}${JSON.stringify(key)}: ${compactJson(item, inner)}`);
  return Array.isArray(value) ? `[\n${items.join(',\n')}\n${indent}]` : `{\n${items.join(',\n')}\n${indent}}`;
}

if (require.main === module) {
  writeFileSync(path.resolve(__dirname, '..', '..', '..', GENERATED_SCHEMAS_FILE), renderPlainSchemas());
}
