/**
 * Word-case helpers shared by every mode that turns a spec name into code names, so `code`
 * writes and `tdd`/`integration` find the same identifiers.
 */

/** Splits `TodoItem`, `todo_item`, `todo-item`, `todo item` and `HTTPServer` into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

export const pascalCase = (name: string): string => words(name).map(capitalize).join('');
export const camelCase = (name: string): string => {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
};
export const kebabCase = (name: string): string => words(name).join('-');
export const constantCase = (name: string): string => words(name).join('_').toUpperCase();

const IRREGULAR: Record<string, string> = { person: 'people', child: 'children', man: 'men', woman: 'women', mouse: 'mice', goose: 'geese' };
const UNCOUNTABLE = new Set(['data', 'info', 'metadata', 'equipment', 'news', 'series', 'species', 'feedback']);

/** English plural of the last word of `name`, in the same case style as `name`'s last word. */
export function pluralize(name: string): string {
  const match = /([A-Z]?[a-z]+|[A-Z]+)$/.exec(name);
  if (!match) return `${name}s`;
  const last = match[1];
  const lower = last.toLowerCase();
  let plural: string;
  if (UNCOUNTABLE.has(lower)) plural = lower;
  else if (IRREGULAR[lower]) plural = IRREGULAR[lower];
  else if (/[^aeiou]y$/.test(lower)) plural = `${lower.slice(0, -1)}ies`;
  else if (/(s|x|z|ch|sh)$/.test(lower)) plural = `${lower}es`;
  else plural = `${lower}s`;
  const cased = last === last.toUpperCase() && last.length > 1 ? plural.toUpperCase() : last.charAt(0) === last.charAt(0).toUpperCase() ? capitalize(plural) : plural;
  return name.slice(0, name.length - last.length) + cased;
}
