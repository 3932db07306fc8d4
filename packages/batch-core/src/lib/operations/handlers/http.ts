import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { OperationError, ValidationError } from '../../errors';
import { defineHandler } from '../registry';
import { connectionError, isRetryableStatus, readLimitedBody, requestSignal } from './http-support';

/** How much of an unexpected response's body an HTTP_STATUS error carries. */
const BODY_SNIPPET_CHARS = 1000;

function urlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid absolute URL';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `only http and https URLs are allowed (got ${url.protocol})`;
}

/** The URL, or a ValidationError on `params.url`. */
function parseHttpUrl(raw: string): URL {
  const problem = urlProblem(raw);
  if (problem) throw new ValidationError(`invalid url ${JSON.stringify(raw)}: ${problem}`, [{ path: 'params.url', message: problem }]);
  return new URL(raw);
}

export const httpRequestParams = z
  .strictObject({
    url: z.string().min(1).describe('An http:// or https:// URL'),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'must be an HTTP method name')
      .default('GET')
      .transform((method) => method.toUpperCase()),
    headers: z.record(z.string(), z.string()).default({}),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .optional()
      .describe('A string is sent as is; an object or array as JSON'),
    expectStatus: z
      .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
      .optional()
      .describe('Status(es) that count as success (default: any 2xx)'),
    timeoutMs: z.number().int().positive().optional().describe('Limit for this request alone'),
    maxBytes: z.number().int().positive().default(5 * 1024 * 1024).describe('Largest response body accepted'),
    responseType: z.enum(['json', 'text', 'auto']).default('auto').describe('auto: JSON when the content-type says so'),
  })
  .superRefine((params, issues) => {
    const problem = urlProblem(params.url);
    if (problem) issues.addIssue({ code: 'custom', path: ['url'], message: problem });
    if (params.body !== undefined && (params.method === 'GET' || params.method === 'HEAD')) {
      issues.addIssue({ code: 'custom', path: ['body'], message: `a ${params.method} request cannot have a body` });
    }
  });
export type HttpRequestParams = z.output<typeof httpRequestParams>;

export interface HttpRequestOutput {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, text, or null for an empty JSON body. */
  body: unknown;
  durationMs: number;
}

function statusExpected(status: number, expected: number | number[] | undefined): boolean {
  if (expected === undefined) return status >= 200 && status < 300;
  return Array.isArray(expected) ? expected.includes(status) : status === expected;
}

function requestInit(params: HttpRequestParams, signal: AbortSignal): RequestInit {
  const headers = new Headers(params.headers);
  let body: string | undefined;
  if (typeof params.body === 'string') body = params.body;
  else if (params.body !== undefined) {
    body = JSON.stringify(params.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return { method: params.method, headers, body, signal, redirect: 'follow' };
}

function decodeBody(raw: Buffer, contentType: string, responseType: HttpRequestParams['responseType'], url: URL): unknown {
  const text = raw.toString('utf8');
  const wantsJson = responseType === 'json' || (responseType === 'auto' && /[/+]json\b/i.test(contentType));
  if (!wantsJson) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (responseType === 'auto') return text;
    throw new OperationError('HTTP_BAD_JSON', `response from ${url.origin} is not valid JSON: ${(error as Error).message}`, {
      details: { url: url.href, bodySnippet: text.slice(0, BODY_SNIPPET_CHARS) },
    });
  }
}

/**
 * One HTTP request with the global fetch. 5xx, 408, 429 and dropped connections are retryable;
 * other unexpected statuses are not. The operation's signal aborts the request in flight.
 */
export const httpRequestHandler = defineHandler<HttpRequestParams, HttpRequestOutput>({
  type: 'http.request',
  params: httpRequestParams,
  async run(params, ctx) {
    const url = parseHttpUrl(params.url);
    const request = requestSignal(ctx.signal, params.timeoutMs, `HTTP ${params.method} ${url.origin}`);
    const started = performance.now();
    try {
      let response: Response;
      let raw: Buffer;
      try {
        response = await fetch(url, requestInit(params, request.signal));
        raw = await readLimitedBody(response, params.maxBytes, url);
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        if (error instanceof OperationError) throw error;
        throw connectionError(error, url);
      }
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      const headers = Object.fromEntries(response.headers);
      if (!statusExpected(response.status, params.expectStatus)) {
        const expected = params.expectStatus === undefined ? '2xx' : ([] as number[]).concat(params.expectStatus).join(' or ');
        throw new OperationError('HTTP_STATUS', `${params.method} ${url.href} answered ${response.status} (expected ${expected})`, {
          retryable: isRetryableStatus(response.status),
          details: { status: response.status, url: url.href, bodySnippet: raw.toString('utf8').slice(0, BODY_SNIPPET_CHARS) },
        });
      }
      const body = decodeBody(raw, response.headers.get('content-type') ?? '', params.responseType, url);
      return { status: response.status, headers, body, durationMs };
    } finally {
      request.dispose();
    }
  },
  target(params) {
    try {
      return `http:${new URL(params.url).origin}`;
    } catch {
      return undefined;
    }
  },
  describe: (params) => `${params.method} ${params.url}`,
});
