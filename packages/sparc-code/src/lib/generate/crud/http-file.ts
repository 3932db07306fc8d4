import type { CrudContext } from './context';

/** `<kebab>.http.ts`: the entity's routes on `node:http`, as a chainable router and as a server. */
export function renderHttpFile({ conv }: CrudContext): string {
  const e = conv.exports;
  const p = conv.pascal;
  return `import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { NotFoundError, ValidationError } from '${conv.imports.errors}';
import { ${e.service} } from '${conv.imports.service}';

/**
 * Answers requests for ${conv.routes.collection} and ${conv.routes.collection}/:id and resolves to true; resolves to false,
 * without touching the response, for any other path, so routers can be tried one after another.
 */
export type ${p}Router = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

const COLLECTION = '${conv.routes.collection}';
const MAX_BODY_BYTES = 1024 * 1024;

class PayloadTooLargeError extends Error {
  constructor() {
    super(\`request body larger than \${MAX_BODY_BYTES} bytes\`);
    this.name = 'PayloadTooLargeError';
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof ValidationError) sendJson(response, 400, { error: 'ValidationError', message: error.message, issues: error.issues });
  else if (error instanceof NotFoundError) sendJson(response, 404, { error: 'NotFound', message: error.message });
  else if (error instanceof PayloadTooLargeError) sendJson(response, 413, { error: 'PayloadTooLarge', message: error.message }, { Connection: 'close' });
  else sendJson(response, 500, { error: 'InternalError', message: 'internal error' });
}

function sendMethodNotAllowed(response: ServerResponse, method: string | undefined, allowed: string): void {
  sendJson(response, 405, { error: 'MethodNotAllowed', message: \`\${method ?? '(none)'} is not allowed here (allowed: \${allowed})\` }, { Allow: allowed });
}

/** The request body as JSON; a ValidationError when it is not JSON. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    // Keep reading past the limit without keeping the bytes, so the client still gets the 413.
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(\`the request body is not valid JSON: \${reason}\`, [{ code: 'invalid_json', path: [], message: reason }]);
  }
}

/** A paging parameter from the query string: undefined when absent, NaN (refused by the service) when not a whole number. */
function queryNumber(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  return /^-?\\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
}

/** The id in \`${conv.routes.collection}/:id\`, \`null\` for the collection itself, \`undefined\` for any other path. */
function matchPath(pathname: string): string | null | undefined {
  if (pathname === COLLECTION) return null;
  if (!pathname.startsWith(\`\${COLLECTION}/\`)) return undefined;
  const segment = pathname.slice(COLLECTION.length + 1);
  if (segment === '' || segment.includes('/')) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function ${e.createRouter}(service: ${e.service}): ${p}Router {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const id = matchPath(url.pathname);
    if (id === undefined) return false;
    try {
      if (id === null) {
        if (request.method === 'POST') {
          const created = await service.create(await readJson(request));
          sendJson(response, 201, created, { Location: \`\${COLLECTION}/\${encodeURIComponent(created.id)}\` });
        } else if (request.method === 'GET') {
          sendJson(response, 200, await service.list({ offset: queryNumber(url, 'offset'), limit: queryNumber(url, 'limit') }));
        } else {
          sendMethodNotAllowed(response, request.method, 'GET, POST');
        }
      } else if (request.method === 'GET') {
        sendJson(response, 200, await service.get(id));
      } else if (request.method === 'PATCH') {
        sendJson(response, 200, await service.update(id, await readJson(request)));
      } else if (request.method === 'DELETE') {
        await service.delete(id);
        response.writeHead(204).end();
      } else {
        sendMethodNotAllowed(response, request.method, 'GET, PATCH, DELETE');
      }
    } catch (error) {
      sendError(response, error);
    }
    return true;
  };
}

/** A server (not listening yet) with the ${p} routes; 404 for every other path. */
export function ${e.createServer}(service: ${e.service} = new ${e.service}()): Server {
  const route = ${e.createRouter}(service);
  return createServer((request, response) => {
    route(request, response).then(
      (handled) => {
        if (!handled) sendJson(response, 404, { error: 'NotFound', message: \`no route for \${request.method ?? ''} \${request.url ?? ''}\` });
      },
      (error: unknown) => sendError(response, error),
    );
  });
}
`;
}
