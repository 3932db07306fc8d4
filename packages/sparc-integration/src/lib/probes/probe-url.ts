/** The service's base URL joined with a probe path; a base path (`http://h/api`) is kept. */
export function probeUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, base.origin).href;
}
