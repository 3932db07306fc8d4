import { z } from 'zod';

const conflict = z.enum(['skip', 'overwrite', 'fail']).default('fail').describe('What to do with a file that exists with other content (identical content is never a conflict)');
const dryRun = z.boolean().default(false).describe('Show unified diffs of every change and write nothing');
const ignore = z.array(z.string()).default([]).describe('Globs to leave out (node_modules, .git and .sparc always are)');

export const generateOptions = z.object({
  generator: z.string().min(1).optional().describe('crud, module, package, or a template under .sparc/templates (default crud with --spec)'),
  spec: z.string().min(1).optional().describe('Spec file (JSON or YAML; relative to the workspace, or absolute): generate every entity with crud, plus src/app.ts, src/main.ts and src/openapi.json'),
  entity: z.string().min(1).optional().describe('Entity name for crud (e.g. TodoItem)'),
  fields: z.string().min(1).optional().describe('Fields for crud: name:type list, e.g. title:string,done:boolean,due?:date,tags:string[],status:enum(open|done)'),
  plural: z.string().min(1).optional().describe('Plural of the entity when English rules get it wrong (routes use it)'),
  name: z.string().min(1).optional().describe('Name for module, package and templates'),
  out: z.string().min(1).optional().describe('Output folder: the source root for crud (default src), the parent folder otherwise'),
  vars: z.record(z.string(), z.unknown()).default({}).describe('Template variables as a JSON object, checked by the template schema'),
  conflict,
  dryRun,
  format: z.boolean().default(true).describe("Format with the workspace's own Prettier when it has one"),
});

export const modifyOptions = z.object({
  glob: z.string().min(1).describe('Files to change, relative to the workspace root (e.g. "src/**/*.ts")'),
  ignore,
  find: z.string().min(1).describe('Text to find (a regular expression with --regex)'),
  replace: z.string().describe('Replacement; with --regex, $1, $<name> and $& refer to the match'),
  regex: z.boolean().default(false).describe('Treat --find as a regular expression'),
  expect: z.number().int().min(0).optional().describe('Write nothing unless exactly this many replacements are made in all'),
  dryRun,
});

export const transformOptions = z.object({
  transform: z.string().min(1).describe('Module exporting (file: {path, source}) => string | null | undefined (relative to the workspace, or absolute)'),
  glob: z.string().min(1).describe('Files to transform, relative to the workspace root'),
  ignore,
  continueOnError: z.boolean().default(false).describe('Commit the files that transformed and list the failures, instead of writing nothing'),
  dryRun,
});

export const rootOptions = z.object({
  spec: z.string().min(1).optional().describe('Spec file: generate its entities (as in "generate --spec"); without one (and no pipeline spec), list the generators'),
  conflict,
  dryRun,
});

export type GenerateOptions = z.output<typeof generateOptions>;
export type ModifyCommandOptions = z.output<typeof modifyOptions>;
export type TransformCommandOptions = z.output<typeof transformOptions>;
export type RootOptions = z.output<typeof rootOptions>;
