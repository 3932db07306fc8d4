import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Workspace } from '@sparc/batch-core';
import { glob } from 'tinyglobby';
import type { z } from 'zod';
import { z as zod } from 'zod';
import { TemplateError } from '../errors';

/** Where user templates live, relative to the workspace root. */
export const TEMPLATES_DIR = '.sparc/templates';
const SCHEMA_FILES = ['schema.cjs', 'schema.js', 'schema.mjs'];

/** A user template: `.sparc/templates/<name>/files/**` rendered with Handlebars, variables checked by `schema.{cjs,js,mjs}`. */
export interface UserTemplate {
  name: string;
  /** Absolute folder of the template. */
  dir: string;
  /** Template files, relative to `files/`, forward slashes, sorted. */
  files: string[];
  /** The variables schema, when the template declares one. */
  schema?: z.ZodType;
  description?: string;
  /** Default output folder (workspace-relative) from `template.json`. */
  out?: string;
}

/** Names of the templates under `.sparc/templates/` (folders that hold a `files/` folder), sorted. */
export async function listUserTemplates(workspace: Workspace): Promise<string[]> {
  const base = await workspace.resolveReal(TEMPLATES_DIR);
  let entries;
  try {
    entries = await fsp.readdir(base, { withFileTypes: true });
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const stat = await fsp.stat(path.join(base, entry.name, 'files')).catch(() => undefined);
    if (stat?.isDirectory()) names.push(entry.name);
  }
  return names.sort();
}

/** Loads `.sparc/templates/<name>/`: its file list, `template.json` and the variables schema. Undefined when there is no such template. */
export async function loadUserTemplate(workspace: Workspace, name: string): Promise<UserTemplate | undefined> {
  if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') return undefined;
  const dir = await workspace.resolveReal(`${TEMPLATES_DIR}/${name}`);
  const filesDir = path.join(dir, 'files');
  const stat = await fsp.stat(filesDir).catch(() => undefined);
  if (!stat?.isDirectory()) return undefined;
  const files = (await glob('**/*', { cwd: filesDir, dot: true, onlyFiles: true })).sort();
  const template: UserTemplate = { name, dir, files };
  const meta = await readMeta(dir, name);
  if (meta.description !== undefined) template.description = meta.description;
  if (meta.out !== undefined) template.out = meta.out;
  const schema = await loadSchema(dir, name);
  if (schema !== undefined) template.schema = schema;
  return template;
}

async function readMeta(dir: string, name: string): Promise<{ description?: string; out?: string }> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(dir, 'template.json'), 'utf8');
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    throw new TemplateError(name, `template.json is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = zod.strictObject({ description: zod.string().optional(), out: zod.string().optional() }).safeParse(data);
  if (!parsed.success) throw new TemplateError(name, `template.json: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The schema module beside the template. It may export a zod schema, or a function that receives
 * zod and returns one (`module.exports = (z) => z.object({...})`), so a template needs no zod of
 * its own; as `module.exports`, `default`, `schema` or `variables`.
 */
async function loadSchema(dir: string, name: string): Promise<z.ZodType | undefined> {
  let file: string | undefined;
  for (const candidate of SCHEMA_FILES) {
    const stat = await fsp.stat(path.join(dir, candidate)).catch(() => undefined);
    if (stat?.isFile()) {
      file = path.join(dir, candidate);
      break;
    }
  }
  if (file === undefined) return undefined;
  let loaded: unknown;
  try {
    loaded = await loadModule(file);
  } catch (error) {
    throw new TemplateError(name, `cannot load ${path.basename(file)}: ${(error as Error).message}`, { cause: error });
  }
  const candidates = [loaded, ...['default', 'schema', 'variables'].map((key) => (loaded !== null && typeof loaded === 'object' ? (loaded as Record<string, unknown>)[key] : undefined))];
  for (const candidate of candidates) {
    if (isZodSchema(candidate)) return candidate;
    if (typeof candidate === 'function') {
      const built: unknown = (candidate as (z: typeof zod) => unknown)(zod);
      if (isZodSchema(built)) return built;
      throw new TemplateError(name, `${path.basename(file)} exports a function that did not return a zod schema`);
    }
  }
  throw new TemplateError(name, `${path.basename(file)} exports no zod schema (export one, or a function (z) => schema)`);
}

async function loadModule(file: string): Promise<unknown> {
  if (file.endsWith('.mjs')) return import(pathToFileURL(file).href);
  // Re-read on every load: a long-lived process (the MCP server) must see edits to the template.
  delete require.cache[file];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is only known at run time
    return require(file) as unknown;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return import(pathToFileURL(file).href);
  }
}

/** Duck-typed, so a schema built with the workspace's own copy of zod is accepted too. */
function isZodSchema(value: unknown): value is z.ZodType {
  return value !== null && typeof value === 'object' && typeof (value as { safeParse?: unknown }).safeParse === 'function' && '_zod' in value;
}
