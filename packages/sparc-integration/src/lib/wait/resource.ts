import { ResourceSpecError } from '../errors';

/** What `sparc integration wait` can wait for, parsed from its command-line form. */
export type Resource =
  | { kind: 'http'; text: string; url: string }
  | { kind: 'tcp'; text: string; host: string; port: number }
  | { kind: 'file'; text: string; path: string };

/**
 * `http://…` or `https://…` (answers the expected status), `tcp:host:port` or `tcp:port`
 * (accepts a connection; host defaults to 127.0.0.1), `file:path` (exists, inside the workspace).
 */
export function parseResource(text: string): Resource {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return { kind: 'http', text, url: new URL(trimmed).href };
    } catch {
      throw new ResourceSpecError(text, 'not a valid URL');
    }
  }
  if (/^tcp:/i.test(trimmed)) return parseTcp(text, trimmed.slice(4));
  if (/^file:/i.test(trimmed)) {
    const path = trimmed.slice(5);
    if (path === '') throw new ResourceSpecError(text, 'file: needs a path, e.g. file:dist/ready.txt');
    return { kind: 'file', text, path };
  }
  throw new ResourceSpecError(text, 'expected http://…, https://…, tcp:host:port or file:path');
}

function parseTcp(text: string, rest: string): Resource {
  const colon = rest.lastIndexOf(':');
  const hostPart = colon < 0 ? '' : rest.slice(0, colon);
  const portPart = colon < 0 ? rest : rest.slice(colon + 1);
  const port = Number(portPart);
  if (!/^\d+$/.test(portPart) || port < 1 || port > 65535) throw new ResourceSpecError(text, `port must be a number from 1 to 65535 (got "${portPart}")`);
  const host = hostPart.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { kind: 'tcp', text, host, port };
}
