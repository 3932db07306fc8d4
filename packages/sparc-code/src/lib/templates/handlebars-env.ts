import Handlebars from 'handlebars';
import { camelCase, constantCase, kebabCase, pascalCase, pluralize } from '@sparc/batch-core';

/**
 * A Handlebars environment of its own (helpers registered here do not leak into other users of
 * the library) with the case helpers the convention uses. Templates produce code, not HTML, so
 * nothing is HTML-escaped.
 */
export function createTemplateEnvironment(): typeof Handlebars {
  const env = Handlebars.create();
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  env.registerHelper('pascalCase', (value: unknown) => pascalCase(text(value)));
  env.registerHelper('camelCase', (value: unknown) => camelCase(text(value)));
  env.registerHelper('kebabCase', (value: unknown) => kebabCase(text(value)));
  env.registerHelper('constantCase', (value: unknown) => constantCase(text(value)));
  env.registerHelper('pluralize', (value: unknown) => pluralize(text(value)));
  env.registerHelper('json', (value: unknown) => JSON.stringify(value));
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return env;
}

export const COMPILE_OPTIONS = { noEscape: true, strict: false } as const;
