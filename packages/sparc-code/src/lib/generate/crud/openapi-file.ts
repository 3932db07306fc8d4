import type { EntitySpec, ProjectConvention } from '@sparc/batch-core';
import { crudContext, type CrudContext } from './context';
import { jsonSchemaOf } from './fields';

/** `<kebab>.openapi.json`: the OpenAPI 3.1 document of the entity's endpoints. */
export function renderOpenApiFile(ctx: CrudContext): string {
  return `${JSON.stringify(openApiDocument(ctx), null, 2)}\n`;
}

export function openApiDocument({ conv, fields, entity }: CrudContext): Record<string, unknown> {
  const p = conv.pascal;
  const e = conv.exports;
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const properties = Object.fromEntries(fields.map((f) => [f.name, jsonSchemaOf(f)]));
  const required = fields.filter((f) => !f.optional).map((f) => f.name);
  const errors = {
    invalid: { description: 'Invalid input or malformed JSON', content: json(ref('ValidationError')) },
    notFound: { description: `No ${p} with this id`, content: json(ref('NotFound')) },
  };
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const paging = [
    { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, description: 'Values above 100 are capped at 100' },
  ];
  return {
    openapi: '3.1.0',
    info: { title: `${p} API`, version: '1.0.0', ...(entity.description ? { description: entity.description } : {}) },
    paths: {
      [conv.routes.collection]: {
        get: {
          operationId: `list${pluralPascal(conv.pluralCamel)}`,
          summary: `List ${p} records a page at a time`,
          parameters: paging,
          responses: { '200': { description: 'One page', content: json(ref(`${p}Page`)) }, '400': errors.invalid },
        },
        post: {
          operationId: `create${p}`,
          summary: `Create a ${p}`,
          requestBody: { required: true, content: json(ref(e.createInput)) },
          responses: {
            '201': {
              description: 'Created',
              headers: { Location: { description: `Path of the new ${p}`, schema: { type: 'string' } } },
              content: json(ref(e.type)),
            },
            '400': errors.invalid,
          },
        },
      },
      [`${conv.routes.collection}/{id}`]: {
        parameters: [idParameter],
        get: { operationId: `get${p}`, summary: `Get a ${p}`, responses: { '200': { description: `The ${p}`, content: json(ref(e.type)) }, '404': errors.notFound } },
        patch: {
          operationId: `update${p}`,
          summary: `Change some fields of a ${p}`,
          requestBody: { required: true, content: json(ref(e.updateInput)) },
          responses: { '200': { description: `The updated ${p}`, content: json(ref(e.type)) }, '400': errors.invalid, '404': errors.notFound },
        },
        delete: { operationId: `delete${p}`, summary: `Delete a ${p}`, responses: { '204': { description: 'Deleted' }, '404': errors.notFound } },
      },
    },
    components: {
      schemas: {
        [e.type]: { type: 'object', properties: { id: { type: 'string' }, ...properties }, required: ['id', ...required], additionalProperties: false },
        [e.createInput]: { type: 'object', properties, required, additionalProperties: false },
        [e.updateInput]: { type: 'object', properties, additionalProperties: false },
        [`${p}Page`]: {
          type: 'object',
          properties: { items: { type: 'array', items: ref(e.type) }, total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
          required: ['items', 'total', 'offset', 'limit'],
        },
        ValidationError: {
          type: 'object',
          properties: {
            error: { const: 'ValidationError' },
            message: { type: 'string' },
            issues: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, path: { type: 'array', items: { type: ['string', 'integer'] } }, message: { type: 'string' } }, required: ['code', 'path', 'message'] } },
          },
          required: ['error', 'issues'],
        },
        NotFound: { type: 'object', properties: { error: { const: 'NotFound' }, message: { type: 'string' } }, required: ['error', 'message'] },
      },
    },
  };
}

function pluralPascal(pluralCamel: string): string {
  return pluralCamel.charAt(0).toUpperCase() + pluralCamel.slice(1);
}

/**
 * `src/openapi.json`: one OpenAPI 3.1 document for the whole app, every entity's paths and schemas
 * plus `GET /health`: what a service manifest's `openapi` points at.
 */
export function renderAppOpenApiFile(entities: readonly EntitySpec[], project: ProjectConvention, title: string): string {
  const paths: Record<string, unknown> = {
    [project.healthPath]: {
      get: {
        operationId: 'health',
        summary: 'Whether the app is up',
        responses: {
          '200': {
            description: 'Up',
            content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] } } },
          },
        },
      },
    },
  };
  const schemas: Record<string, unknown> = {};
  for (const entity of entities) {
    const document = openApiDocument(crudContext(entity, project.src)) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    Object.assign(paths, document.paths);
    Object.assign(schemas, document.components.schemas);
  }
  const document = { openapi: '3.1.0', info: { title, version: '1.0.0' }, paths, components: { schemas } };
  return `${JSON.stringify(document, null, 2)}\n`;
}
