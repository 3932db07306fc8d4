import { EntitySchema, formatIssuePath, parseFieldList, pascalCase, type EntitySpec, type SparcSpec, type Workspace } from '@sparc/batch-core';
import { GenerateOptionsError, UnknownGeneratorError } from '../errors';
import { listUserTemplates, loadUserTemplate } from '../templates/load-template';
import { renderUserTemplate, validateVariables } from '../templates/render-template';
import { moduleGenerator } from './builtin/module';
import { packageGenerator } from './builtin/package';
import { renderEntityFiles, renderProjectFiles } from './crud/crud';
import type { GeneratedFile } from './types';

export const BUILTIN_GENERATORS = {
  crud: 'Per entity: zod schema and types, repository (interface + in-memory), service, node:http handlers, OpenAPI 3.1, index and jest tests; with --spec also src/app.ts, src/main.ts and src/openapi.json',
  module: 'A plain module with its test (--name, --out folder, default src)',
  package: 'A new workspace package (package.json, tsconfigs, jest config, src with a tested module) wired into the root workspaces',
} as const;

export type BuiltinGenerator = keyof typeof BUILTIN_GENERATORS;

export interface GeneratorListing {
  name: string;
  kind: 'builtin' | 'template';
  description: string;
}

/** Built-in generators, then the workspace's templates. A template named like a built-in is listed but never chosen. */
export async function listGenerators(workspace: Workspace): Promise<GeneratorListing[]> {
  const listing: GeneratorListing[] = Object.entries(BUILTIN_GENERATORS).map(([name, description]) => ({ name, kind: 'builtin', description }));
  for (const name of await listUserTemplates(workspace)) {
    const template = await loadUserTemplate(workspace, name).catch(() => undefined);
    const shadowed = Object.hasOwn(BUILTIN_GENERATORS, name) ? ' (shadowed by the built-in of the same name)' : '';
    listing.push({ name, kind: 'template', description: `${template?.description ?? `.sparc/templates/${name}`}${shadowed}` });
  }
  return listing;
}

export interface GenerateInput {
  /** `crud`, `module`, `package` or a template name; `crud` when a spec is given and this is not. */
  generator?: string;
  spec?: SparcSpec;
  /** Entity name for `crud` (any case; made PascalCase), or the name for the other generators. */
  entity?: string;
  /** Shorthand field list for `crud`: `title:string,done:boolean`. */
  fields?: string;
  plural?: string;
  name?: string;
  /** Output folder: the source root for `crud`, the parent folder for the others. */
  out?: string;
  vars?: Record<string, unknown>;
}

export interface Generation {
  generator: string;
  /** Entities generated (crud). */
  entities: string[];
  files: GeneratedFile[];
  notes: string[];
}

/** Works out every file a generator run produces, rendering entities (and template files) concurrently. */
export async function planGeneration(workspace: Workspace, input: GenerateInput): Promise<Generation> {
  const generator = input.generator ?? (input.spec ? 'crud' : undefined);
  if (generator === undefined) {
    const known = (await listGenerators(workspace)).map((g) => g.name);
    throw new GenerateOptionsError(`name a generator (${known.join(', ')}) or give --spec`, [{ path: 'generator', message: 'required without --spec' }]);
  }
  if (input.spec && generator !== 'crud') {
    throw new GenerateOptionsError(`--spec generates the spec's entities with crud, not "${generator}"`, [{ path: 'spec', message: `only with the crud generator` }]);
  }
  if (generator === 'crud') return planCrud(input);
  if (generator === 'module' || generator === 'package') {
    const name = input.name ?? input.entity;
    if (name === undefined) throw new GenerateOptionsError(`${generator} needs --name`, [{ path: 'name', message: 'required' }]);
    const output = generator === 'module' ? moduleGenerator({ name, dir: input.out }) : await packageGenerator(workspace, { name, dir: input.out });
    return { generator, entities: [], ...output };
  }
  const template = await loadUserTemplate(workspace, generator);
  if (template === undefined) throw new UnknownGeneratorError(generator, (await listGenerators(workspace)).map((g) => g.name));
  const builtIns: Record<string, unknown> = {};
  const name = input.name ?? input.entity;
  if (name !== undefined) builtIns.name = name;
  if (input.entity !== undefined && input.fields !== undefined) builtIns.entity = cliEntity(input);
  const variables = await validateVariables(template, { ...builtIns, ...(input.vars ?? {}) });
  const files = await renderUserTemplate(template, variables, input.out ?? template.out ?? '.');
  return { generator, entities: [], files, notes: [] };
}

async function planCrud(input: GenerateInput): Promise<Generation> {
  if (input.spec) {
    if (input.entity !== undefined || input.fields !== undefined) {
      throw new GenerateOptionsError('give either --spec or --entity/--fields, not both', [{ path: 'entity', message: 'not with --spec' }]);
    }
    const { entities, targets } = input.spec;
    if (entities.length === 0) throw new GenerateOptionsError('the spec declares no entities', [{ path: 'spec.entities', message: 'empty' }]);
    const src = input.out ?? targets.src;
    const perEntity = await Promise.all(entities.map(async (entity) => renderEntityFiles(entity, src)));
    return { generator: 'crud', entities: entities.map((e) => e.name), files: [...perEntity.flat(), ...renderProjectFiles(entities, src, { app: true, title: input.spec.name })], notes: [] };
  }
  if (input.entity === undefined || input.fields === undefined) {
    const missing = [input.entity === undefined ? 'entity' : undefined, input.fields === undefined ? 'fields' : undefined].filter((m): m is string => m !== undefined);
    throw new GenerateOptionsError(`crud needs --entity and --fields (e.g. --entity Todo --fields title:string,done:boolean), or --spec`, missing.map((m) => ({ path: m, message: 'required' })));
  }
  const entity = cliEntity(input);
  const src = input.out ?? 'src';
  return { generator: 'crud', entities: [entity.name], files: [...renderEntityFiles(entity, src), ...renderProjectFiles([entity], src, { app: false })], notes: [] };
}

/** The entity of `--entity`/`--fields`, checked with the spec's own schema. */
function cliEntity(input: GenerateInput): EntitySpec {
  const candidate = { name: pascalCase(input.entity ?? ''), fields: parseFieldList(input.fields ?? '', 'fields'), ...(input.plural ? { plural: input.plural } : {}) };
  const parsed = EntitySchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path[0] === 'name' ? 'entity' : formatIssuePath(issue.path), message: issue.message }));
    throw new GenerateOptionsError(`invalid entity: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}
