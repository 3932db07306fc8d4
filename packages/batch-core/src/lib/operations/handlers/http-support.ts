import { OperationError, TimeoutError } from '../../errors';

/** Connection failures worth another attempt: the peer may be back, or the network may recover. */
const RETRYABLE_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The first error code in undici's cause chain (`fetch failed` → cause → AggregateError.errors). */
function findCauseCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const fromCause = findCauseCode((error as { cause?: unknown }).cause, depth + 1);
  if (fromCause) return fromCause;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findCauseCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Turns what fetch threw (not an abort) into an HTTP_CONNECTION error carrying the cause code. */
export function connectionError(error: unknown, url: URL): OperationError {
  const code = findCauseCode(error);
  const cause = (error as { cause?: unknown } | null)?.cause;
  const reason = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return new OperationError('HTTP_CONNECTION', `request to ${url.origin} failed: ${code ? `${code} ` : ''}${reason}`, {
    retryable: code !== undefined && RETRYABLE_CONNECTION_CODES.has(code),
    cause: error,
    details: { url: url.href, cause: code ?? null },
  });
}

/** 5xx, 408 and 429 can succeed on a later attempt; other unexpected statuses cannot. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Reads a response body, refusing to hold more than `maxBytes`. */
export async function readLimitedBody(response: Response, maxBytes: number, url: URL): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = () =>
    new OperationError('HTTP_BODY_TOO_LARGE', `response from ${url.origin} is larger than ${maxBytes} bytes`, { details: { url: url.href, maxBytes } });
  if (!response.body) return Buffer.alloc(0);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/**
 * One abort signal for a request: the operation's own (timeout, failFast, cancel) and, when set,
 * a per-request timeout that fails with a TimeoutError. `dispose` removes the timer and listener.
 */
export function requestSignal(signal: AbortSignal, timeoutMs: number | undefined, what: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new TimeoutError(timeoutMs, what)), timeoutMs);
  return {
    signal: controller.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', forward);
    },
  };
}
