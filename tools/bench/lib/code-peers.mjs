/**
 * Equivalent templates for the generator comparison. The sparc `crud` generator's output for a
 * two-word sentinel entity is turned into a Handlebars template (plop) and an EJS template
 * (hygen) by replacing each form of the sentinel's name (PascalCase, camelCase, kebab-case and
 * their plurals) with a variable: for entities with the same fields, rendering those templates
 * gives byte-for-byte the files sparc writes, which every sample checks.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const SENTINEL = 'QuuxZorb';
const VARIABLES = ['pluralPascal', 'pluralCamel', 'pluralKebab', 'pascal', 'camel', 'kebab'];

/** The name forms a template needs for one entity, from the convention batch-core defines. */
export function entityVariables(core, entity) {
  const conv = core.entityConvention(entity);
  return {
    pascal: conv.pascal,
    camel: conv.camel,
    kebab: conv.kebab,
    pluralCamel: conv.pluralCamel,
    pluralKebab: conv.pluralKebab,
    pluralPascal: conv.pluralCamel.charAt(0).toUpperCase() + conv.pluralCamel.slice(1),
  };
}

/**
 * Per-entity templates: `{ path, body }` with `\u0000name\u0000` where a variable goes, and the
 * literal text escaped for neither engine yet.
 */
export function entityTemplates(core, code, fields) {
  const sentinel = { name: SENTINEL, fields };
  const vars = entityVariables(core, sentinel);
  const forms = VARIABLES.map((name) => [name, vars[name]]).sort((a, b) => b[1].length - a[1].length);
  const holes = (text) => {
    let out = text;
    for (const [name, value] of forms) out = out.split(value).join(`\u0000${name}\u0000`);
    if (/quux|zorb/i.test(out)) throw new Error(`a form of the sentinel name is left in: ${out.slice(0, 200)}`);
    return out;
  };
  return code.renderEntityFiles(core.parseSpec({ name: 'sentinel', entities: [sentinel] }).entities[0]).map((file) => ({ path: holes(file.path), body: holes(file.content) }));
}

function fill(text, escape, variable) {
  return text
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? variable(part) : escape(part)))
    .join('');
}

const handlebars = {
  // `\{{` is a literal `{{` in Handlebars.
  escape: (text) => text.replace(/\{\{/g, '\\{{'),
  variable: (name) => `{{${name}}}`,
};

const ejs = {
  escape: (text) => text.replace(/<%/g, '<%%'),
  variable: (name) => `<%= ${name} %>`,
};

/** A plopfile with two generators: `crud` (one entity, 8 templated files) and `project` (the 3 shared files). */
export async function writePlopGenerator(dir, templates, projectFiles) {
  await fs.mkdir(path.join(dir, 'templates'), { recursive: true });
  const crud = [];
  for (const [i, template] of templates.entries()) {
    const file = `templates/crud-${i}.hbs`;
    await fs.writeFile(path.join(dir, file), fill(template.body, handlebars.escape, handlebars.variable));
    crud.push({ type: 'add', path: fill(template.path, handlebars.escape, handlebars.variable), templateFile: file });
  }
  const project = [];
  for (const [i, file] of projectFiles.entries()) {
    const name = `templates/project-${i}.hbs`;
    await fs.writeFile(path.join(dir, name), handlebars.escape(file.content));
    project.push({ type: 'add', path: file.path, templateFile: name });
  }
  const plopfile = path.join(dir, 'plopfile.cjs');
  await fs.writeFile(
    plopfile,
    `module.exports = function (plop) {\n  plop.setGenerator('crud', { prompts: [], actions: ${JSON.stringify(crud)} });\n  plop.setGenerator('project', { prompts: [], actions: ${JSON.stringify(project)} });\n};\n`,
  );
  return plopfile;
}

/** hygen templates: `crud/new/*.ejs.t` (one entity) and `project/new/*.ejs.t`, with `to:` front matter. */
export async function writeHygenTemplates(dir, templates, projectFiles) {
  const write = async (generator, i, to, body) => {
    const folder = path.join(dir, generator, 'new');
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, `file-${i}.ejs.t`), `---\nto: ${to}\n---\n${body}`);
  };
  for (const [i, template] of templates.entries()) await write('crud', i, fill(template.path, ejs.escape, ejs.variable), fill(template.body, ejs.escape, ejs.variable));
  for (const [i, file] of projectFiles.entries()) await write('project', i, file.path, ejs.escape(file.content));
  return dir;
}

/** Runs the plop generators in-process (node-plop, plop's engine): every entity, then the shared files. */
export async function runPlop(nodePlop, plopfile, dest, entityVars) {
  const plop = await nodePlop(plopfile, { destBasePath: dest, force: false });
  const crud = plop.getGenerator('crud');
  const results = await Promise.all(entityVars.map((vars) => crud.runActions(vars)));
  results.push(await plop.getGenerator('project').runActions({}));
  const failures = results.flatMap((r) => r.failures);
  if (failures.length > 0) throw new Error(`plop: ${failures.length} failed action(s); first: ${JSON.stringify(failures[0]).slice(0, 300)}`);
  return results.reduce((n, r) => n + r.changes.length, 0);
}

/** Runs hygen in-process (its `runner`, what the CLI calls) once per entity and once for the shared files. */
export async function runHygen(hygen, templates, dest, entityVars) {
  const config = {
    templates,
    cwd: dest,
    logger: new hygen.Logger(() => {}),
    debug: false,
    exec: () => {
      throw new Error('no shell actions in these templates');
    },
    createPrompter: () => ({ prompt: async () => ({}) }),
  };
  const flags = (vars) => Object.entries(vars).flatMap(([k, v]) => [`--${k}`, v]);
  const runs = await Promise.all(entityVars.map((vars) => hygen.runner(['crud', 'new', ...flags(vars)], config)));
  runs.push(await hygen.runner(['project', 'new'], config));
  const failed = runs.filter((r) => !r.success);
  if (failed.length > 0) throw new Error(`hygen: ${failed.length} run(s) failed`);
  return runs.reduce((n, r) => n + r.actions.length, 0);
}
