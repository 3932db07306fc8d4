import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One GET (or HEAD) whose answer is its status; connection failures come back as a reason, not a throw. */
export type HttpCheckOutcome = { reached: true; status: number } | { reached: false; reason: string; timedOut?: boolean };

/**
 * Sends one request to `url` and reports its status. The request is cut off after `timeoutMs`;
 * when `signal` aborts, rejects with its reason (the caller is being cancelled, not the check).
 * Uses node:http without a connection pool: a health poll is one short connection, and this path
 * costs far less CPU than fetch while many services start on the same machine.
 */
export function httpCheck(url: string, opts: { timeoutMs: number; signal: AbortSignal; method?: 'GET' | 'HEAD' }): Promise<HttpCheckOutcome> {
  if (opts.signal.aborted) return Promise.reject(opts.signal.reason);
  return new Promise<HttpCheckOutcome>((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (outcome: HttpCheckOutcome | { aborted: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      req.destroy();
      if ('aborted' in outcome) reject(outcome.aborted);
      else resolve(outcome);
    };
    const onAbort = () => finish({ aborted: opts.signal.reason });
    const req = send(target, { method: opts.method ?? 'GET', agent: false, headers: { connection: 'close' } }, (res: IncomingMessage) => {
      // Drain the body so the answer is complete; the status is all that matters.
      res.resume();
      res.once('end', () => finish({ reached: true, status: res.statusCode ?? 0 }));
      res.once('error', () => finish({ reached: true, status: res.statusCode ?? 0 }));
    });
    const timeoutMs = Math.max(1, Math.round(opts.timeoutMs));
    const timer = setTimeout(() => finish({ reached: false, reason: `no answer within ${timeoutMs} ms`, timedOut: true }), timeoutMs);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error: NodeJS.ErrnoException) => finish({ reached: false, reason: describeRequestError(error, target) }));
    req.end();
  });
}

function describeRequestError(error: NodeJS.ErrnoException, target: URL): string {
  if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' || error.code === 'EHOSTUNREACH') return `${error.code} ${target.host}`;
  return error.code && !error.message.includes(error.code) ? `${error.code} ${error.message}` : error.message;
}

/** The expected status, or any 2xx when none is given. */
export function statusMatches(status: number, expected: number | undefined): boolean {
  return expected === undefined ? status >= 200 && status < 300 : status === expected;
}

export function describeExpected(expected: number | undefined): string {
  return expected === undefined ? '2xx' : String(expected);
}
