/** `Application/JSON; charset=utf-8` → `application/json`. */
export function baseMediaType(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0].trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * The declared media range that covers `actual`, most specific first: `application/json`, then
 * `application/*`, then `* / *` (without the spaces).
 */
export function matchMediaType(declared: readonly string[], actual: string): string | undefined {
  const type = baseMediaType(actual);
  if (type === '') return undefined;
  const normalized = declared.map((d) => ({ key: d, base: baseMediaType(d) }));
  const exact = normalized.find((d) => d.base === type);
  if (exact) return exact.key;
  const range = normalized.find((d) => d.base.endsWith('/*') && d.base !== '*/*' && type.startsWith(d.base.slice(0, -1)));
  if (range) return range.key;
  return normalized.find((d) => d.base === '*/*')?.key;
}
