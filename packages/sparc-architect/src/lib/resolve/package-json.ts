/**
 * package.json `exports` and `imports` maps, as Node reads them: subpath keys (exact, `*` patterns,
 * legacy trailing `/`), then conditions in the order the package lists them.
 */

export interface PackageJson {
  name?: string;
  main?: string;
  module?: string;
  types?: string;
  typings?: string;
  exports?: unknown;
  imports?: unknown;
  workspaces?: unknown;
}

/**
 * Conditions taken, in the order the package lists them. Every file they lead to is mapped back to
 * its source, so `types`, `import` and `require` usually name the same module.
 */
export const CONDITIONS = new Set(['source', 'types', 'typings', 'import', 'require', 'node', 'module', 'module-sync', 'default', 'development']);

/** Targets for `subpath` ('.' or './x' for exports, '#x' for imports), most preferred first. */
export function mapSubpath(map: unknown, subpath: string): string[] {
  if (map === undefined || map === null) return [];
  // `"exports": "./index.js"` or a conditions object stand for the package root.
  if (typeof map === 'string' || Array.isArray(map) || !hasSubpathKeys(map as Record<string, unknown>)) {
    return subpath === '.' ? targetsOf(map, undefined) : [];
  }
  const entries = map as Record<string, unknown>;
  if (Object.hasOwn(entries, subpath) && !subpath.includes('*')) return targetsOf(entries[subpath], undefined);
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(entries)) {
    const star = key.indexOf('*');
    if (star >= 0) {
      const prefix = key.slice(0, star);
      const suffix = key.slice(star + 1);
      if (subpath.startsWith(prefix) && subpath.length >= key.length - 1 && subpath.endsWith(suffix) && (best === undefined || prefix.length > best.key.indexOf('*'))) {
        best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
      }
    } else if (key.endsWith('/') && subpath.startsWith(key) && (best === undefined || key.length > best.key.length)) {
      // Legacy folder mapping: "./lib/": "./lib/"
      best = { key, match: subpath.slice(key.length) };
    }
  }
  if (best === undefined) return [];
  const targets = targetsOf(entries[best.key], best.match);
  return best.key.endsWith('/') ? targets.map((t) => t + best.match) : targets;
}

function hasSubpathKeys(map: Record<string, unknown>): boolean {
  return Object.keys(map).some((key) => key.startsWith('.') || key.startsWith('#'));
}

function targetsOf(value: unknown, match: string | undefined): string[] {
  if (typeof value === 'string') return [match === undefined ? value : value.split('*').join(match)];
  if (Array.isArray(value)) return value.flatMap((item) => targetsOf(item, match));
  if (value !== null && typeof value === 'object') {
    const out: string[] = [];
    for (const [condition, target] of Object.entries(value as Record<string, unknown>)) {
      if (CONDITIONS.has(condition)) out.push(...targetsOf(target, match));
    }
    return out;
  }
  return [];
}
