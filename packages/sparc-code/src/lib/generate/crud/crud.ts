import { projectConvention, type EntitySpec } from '@sparc/batch-core';
import type { GeneratedFile } from '../types';
import { crudContext } from './context';
import { renderHttpFile } from './http-file';
import { renderHttpTestFile } from './http-test-file';
import { renderIndexFile } from './index-file';
import { renderAppOpenApiFile, renderOpenApiFile } from './openapi-file';
import { renderAppFile, renderErrorsFile, renderMainFile } from './project-files';
import { renderRepositoryFile } from './repository-file';
import { renderSchemaFile } from './schema-file';
import { renderServiceFile } from './service-file';
import { renderServiceTestFile } from './service-test-file';

/**
 * The files of one entity, where `entityConvention` puts them: schema, repository, service, HTTP
 * handlers, OpenAPI document, index, and the service and HTTP tests. `src` is the source root.
 */
export function renderEntityFiles(entity: EntitySpec, src = 'src'): GeneratedFile[] {
  const ctx = crudContext(entity, src);
  const { files } = ctx.conv;
  return [
    { path: files.schema, content: renderSchemaFile(ctx) },
    { path: files.repository, content: renderRepositoryFile(ctx) },
    { path: files.service, content: renderServiceFile(ctx) },
    { path: files.http, content: renderHttpFile(ctx) },
    { path: files.openapi, content: renderOpenApiFile(ctx) },
    { path: files.index, content: renderIndexFile(ctx) },
    { path: files.serviceTest, content: renderServiceTestFile(ctx) },
    { path: files.httpTest, content: renderHttpTestFile(ctx) },
  ];
}

/**
 * The shared files of `projectConvention`. `src/errors.ts` is the same for every spec and is only
 * written when missing (a changed copy is the user's); with `app`, also `src/app.ts` (every
 * entity's routes and `/health`), `src/main.ts` and `src/openapi.json` (the whole app's API,
 * titled `title`), which follow the conflict policy.
 */
export function renderProjectFiles(entities: readonly EntitySpec[], src = 'src', options: { app: boolean; title?: string } = { app: true }): GeneratedFile[] {
  const project = projectConvention(src);
  const files: GeneratedFile[] = [{ path: project.errors, content: renderErrorsFile(), ifMissing: true }];
  if (options.app) {
    files.push(
      { path: project.app, content: renderAppFile(entities, project) },
      { path: project.main, content: renderMainFile(project) },
      { path: project.openapi, content: renderAppOpenApiFile(entities, project, options.title ?? 'API') },
    );
  }
  return files;
}
