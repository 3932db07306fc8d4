/** One way a response broke its probe's expectations or its contract. */
export interface Violation {
  /**
   * `server-error`, `status` (the probe's expected status), `operation` (not in the contract),
   * `status-declared`, `content-type`, `schema`, `response-time`, `contract` (document unusable),
   * `connection`, `health` (service not healthy, probe not sent), `timeout` (check timed out).
   */
  check: string;
  /** JSON pointer into the response body, for `schema` violations. */
  pointer?: string;
  message: string;
}

/** A value as a short quote for messages: strings quoted, long values cut. */
export function quoteValue(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
