// Import specifiers and workspace-relative paths as strings: nothing here touches the disk.
import * as path from 'node:path';

/** TypeScript's extension substitution: `./x.js` may name `x.ts`. */
export const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/**
 * `.js`, `.jsx`, `.mjs` or `.cjs` when the path ends with one of them as its extension (as
 * `path.posix.extname` reads it), else undefined: the extensions that may name TypeScript sources.
 */
export function scriptExtension(p: string): string | undefined {
  const dot = p.lastIndexOf('.');
  // A longer ending is no script extension; `.js` alone (or `dir/.js`) is a name without one.
  if (dot <= 0 || p.length - dot > 4 || p.charCodeAt(dot - 1) === 47) return undefined;
  const ext = p.slice(dot);
  return JS_TO_TS[ext] !== undefined ? ext : undefined;
}

/** The folder of a workspace-relative file ('' at the root). */
export function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Joins and normalises workspace-relative paths ('' is the root). */
export function joinRel(dir: string, specifier: string): string {
  // The common shapes (`./x/y`, `../../x`) without the general normaliser.
  let base = dir;
  let rest = specifier;
  for (;;) {
    if (rest.startsWith('./')) rest = rest.slice(2);
    else if (rest.startsWith('../') && base !== '' && !base.endsWith('..')) {
      const slash = base.lastIndexOf('/');
      base = slash < 0 ? '' : base.slice(0, slash);
      rest = rest.slice(3);
    } else break;
  }
  const simple = rest !== '' && rest !== '.' && rest !== '..' && !rest.startsWith('../') && !rest.includes('/./') && !rest.includes('/../') && !rest.includes('//') && !rest.endsWith('/.') && !rest.endsWith('/..');
  if (simple) {
    const trimmed = rest.endsWith('/') ? rest.slice(0, -1) : rest;
    return base === '' ? trimmed : `${base}/${trimmed}`;
  }
  const joined = path.posix.normalize(base === '' ? rest : `${base}/${rest}`);
  return joined === '.' || joined === './' ? '' : joined.replace(/^\.\//, '').replace(/\/$/, '');
}

/** `./x?raw` → `./x`: a bundler's query names the same file. */
export function stripQuery(specifier: string): string {
  const q = specifier.indexOf('?');
  return q > 0 ? specifier.slice(0, q) : specifier;
}

/** What a tsconfig `paths` pattern captures of a specifier (its `*`), undefined when it does not match. */
export function matchPattern(mapping: { prefix: string; suffix: string; wildcard: boolean }, specifier: string): string | undefined {
  if (!mapping.wildcard) return specifier === mapping.prefix ? '' : undefined;
  if (specifier.length < mapping.prefix.length + mapping.suffix.length) return undefined;
  if (!specifier.startsWith(mapping.prefix) || !specifier.endsWith(mapping.suffix)) return undefined;
  return specifier.slice(mapping.prefix.length, specifier.length - mapping.suffix.length);
}

/** `@scope/pkg/a/b` → `@scope/pkg` + `a/b`; `pkg/a` → `pkg` + `a`. */
export function splitPackageSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, count).join('/'), subpath: parts.slice(count).join('/') };
}
