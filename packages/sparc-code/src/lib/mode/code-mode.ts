import { defineMode } from '@sparc/batch-core';
import { listGenerators } from '../generate/generators';
import { rootData } from './data';
import { generateCommand, runGenerate } from './generate-command';
import { modifyCommand } from './modify-command';
import { rootOptions } from './options';
import { transformCommand } from './transform-command';

/**
 * The `code` mode. On its own (as the pipeline runs it) it generates the spec's entities; without
 * a spec it lists the generators. Its commands: `generate`, `modify`, `transform`.
 */
export const codeMode = defineMode({
  name: 'code',
  summary: 'Generators and codemods that write all or nothing: crud from the spec, modules, packages, templates, find/replace, transforms',
  options: rootOptions,
  data: rootData.optional(),
  commands: { generate: generateCommand, modify: modifyCommand, transform: transformCommand },
  async run(ctx, options) {
    if (options.spec !== undefined || ctx.spec !== undefined) {
      return runGenerate(ctx, { generator: 'crud', spec: options.spec, vars: {}, conflict: options.conflict, dryRun: options.dryRun, format: true });
    }
    const generators = await listGenerators(ctx.workspace);
    return {
      status: 'passed',
      summary: `${generators.length} generators: ${generators.map((g) => g.name).join(', ')} (no spec to generate from)`,
      findings: [],
      data: { generators },
      artifacts: [],
    };
  },
});
