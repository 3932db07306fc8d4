import { z } from 'zod';
import { parseFieldShorthand } from './fields';

/**
 * The project spec every mode reads (`sparc.spec.json` or `.yaml`): entities with typed fields,
 * services, requirements with acceptance criteria, and target folders.
 */

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'enum';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** May be left out on create; absent from stored records until set. */
  optional?: boolean;
  /** A list of values of `type`. */
  array?: boolean;
  /** The allowed values of an `enum` field. */
  values?: string[];
  description?: string;
}

const identifier = z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be an identifier (letters, digits, _ or $; not starting with a digit)');

export const FieldSchema = z
  .object({
    name: identifier.refine((n) => n !== 'id', '"id" is reserved: every entity gets a generated string id'),
    type: z.enum(['string', 'number', 'integer', 'boolean', 'date', 'enum']),
    optional: z.boolean().default(false),
    array: z.boolean().default(false),
    values: z.array(z.string().min(1)).min(1).optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    if (field.type === 'enum' && !field.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'an enum field needs its values' });
    if (field.type !== 'enum' && field.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'only enum fields take values' });
  });

/** A field as an object or as shorthand (`title:string`, `tags:string[]`, `status:enum(open|done)`). */
export const FieldInputSchema = z
  .unknown()
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return parseFieldShorthand(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  })
  .pipe(FieldSchema);

export const EntitySchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be PascalCase, e.g. Todo or OrderLine'),
    /** Overrides the English plural used in routes and names. */
    plural: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/).optional(),
    description: z.string().optional(),
    /** Objects, or the shorthand `name:type` strings of `parseFieldShorthand`. */
    fields: z.array(FieldInputSchema).min(1, 'an entity needs at least one field'),
  })
  .strict()
  .superRefine((entity, ctx) => {
    const seen = new Set<string>();
    entity.fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `field "${f.name}" is declared twice` });
      seen.add(f.name);
    });
  });

export const ProbeSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
    path: z.string().startsWith('/', 'must start with "/"'),
    body: z.unknown().optional(),
    expectStatus: z.number().int().min(100).max(599).optional(),
    maxMs: z.number().positive().optional(),
  })
  .strict();

/** One service of the system; the same fields as `sparc integration check --services FILE`. */
export const ServiceSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be a name of letters, digits, ".", "_" or "-"'),
    /** Shell command that starts the service; absent when it is already running. */
    start: z.string().min(1).optional(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    url: z.url(),
    health: z.string().startsWith('/', 'must start with "/"'),
    expectStatus: z.number().int().min(100).max(599).optional(),
    readinessTimeoutMs: z.number().int().positive().optional(),
    dependsOn: z.array(z.string()).optional(),
    /** Path of an OpenAPI 3.0 or 3.1 document, relative to the workspace. */
    openapi: z.string().optional(),
    probes: z.array(ProbeSchema).optional(),
  })
  .strict();

export const RequirementSchema = z
  .object({
    id: z.string().min(1),
    text: z.string().min(1),
    /** Acceptance criteria, each one checkable sentence. */
    acceptance: z.array(z.string().min(1)).default([]),
    /** The entity the requirement is about, when it is about one. */
    entity: z.string().optional(),
    priority: z.enum(['must', 'should', 'could']).optional(),
  })
  .strict();

export const TargetsSchema = z
  .object({
    /** Source root; each entity's modules go to `<src>/<entity-kebab>/`. */
    src: z.string().default('src'),
    /** Where new modules the spec lists are planned, by module path: `{ "src/billing/invoice.ts": ["src/db/index.ts"] }`. */
    modules: z
      .array(z.object({ path: z.string().min(1), imports: z.array(z.string()).default([]) }).strict())
      .default([]),
  })
  .strict();

export const SparcSpecSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().optional(),
    description: z.string().optional(),
    entities: z.array(EntitySchema).default([]),
    services: z.array(ServiceSchema).default([]),
    requirements: z.array(RequirementSchema).default([]),
    targets: TargetsSchema.default({ src: 'src', modules: [] }),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const unique = (list: { name?: string; id?: string }[], key: 'name' | 'id', where: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        const value = item[key] as string;
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [where, i, key], message: `duplicate ${key} "${value}"` });
        seen.add(value);
      });
    };
    unique(spec.entities, 'name', 'entities');
    unique(spec.services, 'name', 'services');
    unique(spec.requirements, 'id', 'requirements');
    const services = new Set(spec.services.map((s) => s.name));
    spec.services.forEach((s, i) =>
      (s.dependsOn ?? []).forEach((d, j) => {
        if (!services.has(d)) ctx.addIssue({ code: 'custom', path: ['services', i, 'dependsOn', j], message: `unknown service "${d}"` });
      }),
    );
    const entities = new Set(spec.entities.map((e) => e.name));
    spec.requirements.forEach((r, i) => {
      if (r.entity !== undefined && !entities.has(r.entity)) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'entity'], message: `unknown entity "${r.entity}"` });
    });
  });

export type SparcSpec = z.output<typeof SparcSpecSchema>;
export type SparcSpecInput = z.input<typeof SparcSpecSchema>;
export type EntitySpec = z.output<typeof EntitySchema>;
export type ServiceSpec = z.output<typeof ServiceSchema>;
export type ProbeSpec = z.output<typeof ProbeSchema>;
export type RequirementSpec = z.output<typeof RequirementSchema>;
