import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { formatIssuePath, type ValidationIssue } from '@sparc/batch-core';
import { TemplateError, TemplateVariablesError } from '../errors';
import type { GeneratedFile } from '../generate/types';
import { mapBounded } from '../util/bounded';
import { COMPILE_OPTIONS, createTemplateEnvironment } from './handlebars-env';
import type { UserTemplate } from './load-template';

const TEMPLATE_SUFFIX = '.hbs';

/** Checks `variables` against the template's schema; the parsed values (defaults filled in) or a TemplateVariablesError naming each variable. */
export async function validateVariables(template: UserTemplate, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (template.schema === undefined) return variables;
  const parsed = await template.schema.safeParseAsync(variables);
  if (!parsed.success) {
    const issues: ValidationIssue[] = parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
    throw new TemplateVariablesError(template.name, issues);
  }
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    throw new TemplateError(template.name, 'the variables schema must produce an object (use z.object({...}))');
  }
  return parsed.data as Record<string, unknown>;
}

/**
 * Renders every file of the template, in parallel: paths and `*.hbs` contents through Handlebars
 * (the suffix dropped), other files copied as they are. `out` is the workspace-relative folder
 * the rendered tree goes under.
 */
export async function renderUserTemplate(template: UserTemplate, variables: Record<string, unknown>, out: string): Promise<GeneratedFile[]> {
  const env = createTemplateEnvironment();
  const prefix = out === '' || out === '.' ? '' : `${out.replace(/\/+$/, '')}/`;
  const compile = (source: string, where: string) => {
    try {
      const render = env.compile(source, COMPILE_OPTIONS);
      return render(variables);
    } catch (error) {
      throw new TemplateError(template.name, `${where}: ${(error as Error).message}`, { cause: error });
    }
  };
  return mapBounded(template.files, 32, async (file) => {
    const rendered = compile(file, `file name ${file}`);
    const target = rendered.endsWith(TEMPLATE_SUFFIX) ? rendered.slice(0, -TEMPLATE_SUFFIX.length) : rendered;
    if (target.split('/').some((segment) => segment === '' || segment === '..' || segment === '.')) {
      throw new TemplateError(template.name, `file name ${file} renders to "${target}", which is not a plain relative path`);
    }
    const source = await fsp.readFile(path.join(template.dir, 'files', file), 'utf8');
    const content = file.endsWith(TEMPLATE_SUFFIX) ? compile(source, file) : source;
    return { path: `${prefix}${target}`, content };
  });
}
