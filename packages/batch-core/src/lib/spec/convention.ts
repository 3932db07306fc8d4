import { camelCase, kebabCase, pascalCase, pluralize } from './naming';
import type { EntitySpec, FieldSpec, SparcSpec } from './schema';

/**
 * The one naming convention for the modules generated from a spec entity. `sparc code` writes
 * these files with these exports; `sparc tdd` writes tests against them and `sparc integration`
 * probes the routes, without importing each other.
 *
 * For an entity `TodoItem` with `targets.src = "src"`:
 *
 * | file (under `src/todo-item/`) | exports |
 * |---|---|
 * | `todo-item.schema.ts` | `TodoItemSchema`, `CreateTodoItemSchema`, `UpdateTodoItemSchema` (zod); types `TodoItem`, `CreateTodoItemInput`, `UpdateTodoItemInput` |
 * | `todo-item.repository.ts` | `TodoItemRepository` (interface), `InMemoryTodoItemRepository` (class) |
 * | `todo-item.service.ts` | `TodoItemService` (class, constructed with a repository; default: a new in-memory one) |
 * | `todo-item.http.ts` | `createTodoItemRouter(service)`, `createTodoItemServer(service?)` (a `node:http` Server, not listening) |
 * | `todo-item.openapi.json` | the OpenAPI 3.1 document of the entity's endpoints |
 * | `index.ts` | everything of the four modules above (`export *`) |
 *
 * Shared by all entities: `src/errors.ts` exports `ValidationError` (`code: "VALIDATION"`,
 * `issues`: zod issues) and `NotFoundError` (`code: "NOT_FOUND"`); `src/app.ts` exports
 * `createApp()` (a Server with every entity's routes and `GET /health` → 200 `{"status":"ok"}`);
 * `src/main.ts` listens on `process.env.PORT` (default 3000) and `process.env.HOST` (default
 * 127.0.0.1); `src/openapi.json` is one OpenAPI 3.1 document with every entity's endpoints and
 * `/health` (what a service manifest's `openapi` points at).
 *
 * Service methods: `create(input)`, `get(id)`, `list({ offset?, limit? })` →
 * `{ items, total, offset, limit }` (limit defaults to 20; larger limits are capped at 100; a
 * negative or fractional offset or limit is a `ValidationError`), `update(id, patch)`,
 * `delete(id)`; all async. Invalid input rejects with `ValidationError`, an unknown id with
 * `NotFoundError`. Records are `{ id: string, ...fields }`; ids come from `crypto.randomUUID()`;
 * `date` fields are ISO 8601 strings.
 *
 * HTTP: `POST /<plural>` → 201 with the record and `Location: /<plural>/<id>`; `GET /<plural>?offset=&limit=`
 * → 200 page; `GET|PATCH|DELETE /<plural>/<id>` → 200, 200, 204; 400 `{ "error": "ValidationError",
 * "issues": [...] }` for bad input or malformed JSON; 404 `{ "error": "NotFound", "message" }`;
 * 405 for other methods; every body is `application/json`.
 *
 * Tests: `code` writes `<kebab>.service.test.ts` and `<kebab>.http.test.ts`; `tdd` writes the
 * spec's tests to `<kebab>.acceptance.test.ts` in the same folder, so the two never collide.
 */
export interface EntityConvention {
  entity: string;
  /** `TodoItem` */
  pascal: string;
  /** `todoItem` */
  camel: string;
  /** `todo-item` */
  kebab: string;
  /** `todoItems` */
  pluralCamel: string;
  /** `todo-items`: the route segment */
  pluralKebab: string;
  /** Workspace-relative folder of the entity's modules (posix separators). */
  dir: string;
  files: {
    schema: string;
    repository: string;
    service: string;
    http: string;
    openapi: string;
    /** `index.ts` of the entity folder: re-exports the schema, repository, service and http modules. */
    index: string;
    serviceTest: string;
    httpTest: string;
    acceptanceTest: string;
  };
  /** Module specifiers relative to the entity folder, as a test file there imports them. */
  imports: { schema: string; repository: string; service: string; http: string; errors: string };
  exports: {
    schema: string;
    createSchema: string;
    updateSchema: string;
    type: string;
    createInput: string;
    updateInput: string;
    repository: string;
    inMemoryRepository: string;
    service: string;
    createRouter: string;
    createServer: string;
  };
  routes: { collection: string; item: (id: string) => string };
}

export interface ProjectConvention {
  src: string;
  errors: string;
  app: string;
  main: string;
  /** One OpenAPI 3.1 document for the whole app. */
  openapi: string;
  exports: { validationError: 'ValidationError'; notFoundError: 'NotFoundError'; createApp: 'createApp' };
  healthPath: '/health';
}

const joinPosix = (...parts: string[]): string =>
  parts
    .filter((p) => p !== '' && p !== '.')
    .join('/')
    .replace(/\/+/g, '/')
    .replace(/^\.\//, '');

export function projectConvention(src = 'src'): ProjectConvention {
  return {
    src: joinPosix(src),
    errors: joinPosix(src, 'errors.ts'),
    app: joinPosix(src, 'app.ts'),
    main: joinPosix(src, 'main.ts'),
    openapi: joinPosix(src, 'openapi.json'),
    exports: { validationError: 'ValidationError', notFoundError: 'NotFoundError', createApp: 'createApp' },
    healthPath: '/health',
  };
}

/** Where an entity's modules live and what they export (see the table above). */
export function entityConvention(entity: Pick<EntitySpec, 'name' | 'plural'> | string, src = 'src'): EntityConvention {
  const name = typeof entity === 'string' ? entity : entity.name;
  const pluralName = typeof entity === 'string' || entity.plural === undefined ? pluralize(pascalCase(name)) : entity.plural;
  const pascal = pascalCase(name);
  const kebab = kebabCase(name);
  const dir = joinPosix(src, kebab);
  const pluralKebab = kebabCase(pluralName);
  const file = (suffix: string) => joinPosix(dir, `${kebab}.${suffix}`);
  return {
    entity: name,
    pascal,
    camel: camelCase(name),
    kebab,
    pluralCamel: camelCase(pluralName),
    pluralKebab,
    dir,
    files: {
      schema: file('schema.ts'),
      repository: file('repository.ts'),
      service: file('service.ts'),
      http: file('http.ts'),
      openapi: file('openapi.json'),
      index: joinPosix(dir, 'index.ts'),
      serviceTest: file('service.test.ts'),
      httpTest: file('http.test.ts'),
      acceptanceTest: file('acceptance.test.ts'),
    },
    imports: { schema: `./${kebab}.schema`, repository: `./${kebab}.repository`, service: `./${kebab}.service`, http: `./${kebab}.http`, errors: '../errors' },
    exports: {
      schema: `${pascal}Schema`,
      createSchema: `Create${pascal}Schema`,
      updateSchema: `Update${pascal}Schema`,
      type: pascal,
      createInput: `Create${pascal}Input`,
      updateInput: `Update${pascal}Input`,
      repository: `${pascal}Repository`,
      inMemoryRepository: `InMemory${pascal}Repository`,
      service: `${pascal}Service`,
      createRouter: `create${pascal}Router`,
      createServer: `create${pascal}Server`,
    },
    routes: { collection: `/${pluralKebab}`, item: (id: string) => `/${pluralKebab}/${encodeURIComponent(id)}` },
  };
}

/** The convention for every entity of a spec, in spec order. */
export function specConventions(spec: Pick<SparcSpec, 'entities' | 'targets'>): EntityConvention[] {
  return spec.entities.map((e) => entityConvention(e, spec.targets.src));
}

const SAMPLE_WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];

/**
 * A deterministic valid value for a field; `variant` picks a different one, so tests can build
 * distinct records and updates that change something. Shared so `code` and `tdd` derive the same
 * sample data from a field's type.
 */
export function sampleFieldValue(field: FieldSpec, variant = 0): unknown {
  const one = (): unknown => {
    switch (field.type) {
      case 'string':
        return `${field.name}-${SAMPLE_WORDS[variant % SAMPLE_WORDS.length]}`;
      case 'number':
        return 1.5 + variant;
      case 'integer':
        return 1 + variant;
      case 'boolean':
        return variant % 2 === 0;
      case 'date':
        return new Date(Date.UTC(2025, 0, 1 + (variant % 28), 12, 0, 0)).toISOString();
      case 'enum': {
        const values = field.values ?? [];
        return values[variant % values.length];
      }
    }
  };
  return field.array ? [one()] : one();
}

/** A valid create input (every field, optional ones included) for an entity. */
export function sampleEntityInput(entity: Pick<EntitySpec, 'fields'>, variant = 0): Record<string, unknown> {
  return Object.fromEntries(entity.fields.map((f) => [f.name, sampleFieldValue(f, variant)]));
}

/** A create input that fails validation, and the field it breaks: the first required field (else the first field) given a value of the wrong type. */
export function invalidEntityInput(entity: Pick<EntitySpec, 'fields'>): { input: Record<string, unknown>; field: string } {
  const target = entity.fields.find((f) => !f.optional) ?? entity.fields[0];
  const wrong = target.type === 'string' || target.type === 'date' || target.type === 'enum' ? 12345 : 'not-a-valid-value';
  return { input: { ...sampleEntityInput(entity), [target.name]: target.array ? [wrong] : wrong }, field: target.name };
}
