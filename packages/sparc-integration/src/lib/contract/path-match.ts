/** Matching request paths to OpenAPI path templates (`/pets/{petId}`). */

export interface PathTemplate {
  template: string;
  /** Number of `{parameters}`: a literal template beats a templated one for the same path. */
  parameters: number;
  regex: RegExp;
}

export function compileTemplate(template: string): PathTemplate {
  let parameters = 0;
  const pattern = template
    .split(/(\{[^}/]+\})/)
    .map((part) => {
      if (/^\{[^}/]+\}$/.test(part)) {
        parameters++;
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { template, parameters, regex: new RegExp(`^${pattern}/?$`) };
}

/** The template matching `path` (query string ignored) with the fewest parameters, if any. */
export function matchTemplate(templates: readonly PathTemplate[], path: string): PathTemplate | undefined {
  const bare = path.split(/[?#]/, 1)[0];
  let best: PathTemplate | undefined;
  for (const candidate of templates) {
    if (!candidate.regex.test(bare)) continue;
    if (!best || candidate.parameters < best.parameters) best = candidate;
  }
  return best;
}

/** Path prefixes of the document's servers (`https://api.example.com/v1` → `/v1`), longest first. */
export function serverBasePaths(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  const paths = new Set<string>();
  for (const server of servers) {
    const url = (server as { url?: unknown } | null)?.url;
    if (typeof url !== 'string') continue;
    // Server variables ({version}) cannot be known here; a base with one is skipped.
    if (url.includes('{')) continue;
    try {
      const pathname = new URL(url, 'http://base.invalid').pathname.replace(/\/+$/, '');
      if (pathname !== '') paths.add(pathname);
    } catch {
      // not a URL: no base path to strip
    }
  }
  return [...paths].sort((a, b) => b.length - a.length);
}
