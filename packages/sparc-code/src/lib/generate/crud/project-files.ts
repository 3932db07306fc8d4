import { entityConvention, type EntitySpec, type ProjectConvention } from '@sparc/batch-core';

/** `src/errors.ts`: the errors every generated service throws. Does not depend on the spec. */
export function renderErrorsFile(): string {
  return `/** One problem with an input: where it is and what is wrong. zod's issues have this shape. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
}

/** Input that does not match its schema; \`issues\` are zod's, one per problem. */
export class ValidationError extends Error {
  readonly code = 'VALIDATION';
  readonly issues: Issue[];

  constructor(message: string, issues: readonly Issue[] = []) {
    super(message);
    this.name = 'ValidationError';
    this.issues = [...issues];
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** No record with this id. */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  readonly entity: string;
  readonly id: string;

  constructor(entity: string, id: string) {
    super(\`\${entity} "\${id}" not found\`);
    this.name = 'NotFoundError';
    this.entity = entity;
    this.id = id;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
`;
}

/** `src/app.ts`: one server with every entity's routes and \`GET /health\`. */
export function renderAppFile(entities: readonly EntitySpec[], project: ProjectConvention): string {
  const convs = entities.map((entity) => entityConvention(entity, project.src));
  const rel = (file: string) => `./${file.slice(project.src.length + 1).replace(/\.ts$/, '')}`;
  const imports = convs
    .flatMap((c) => [`import { ${c.exports.createRouter} } from '${rel(c.files.http)}';`, `import { ${c.exports.service} } from '${rel(c.files.service)}';`])
    .join('\n');
  const serviceFields = convs.map((c) => `  ${c.camel}?: ${c.exports.service} | undefined;`).join('\n');
  const routers = convs.map((c) => `    ${c.exports.createRouter}(services.${c.camel} ?? new ${c.exports.service}()),`).join('\n');
  return `import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
${imports}

/** The services behind the routes; each one left out is a new service on an in-memory repository. */
export interface AppServices {
${serviceFields}
}

type Router = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}

/** A server (not listening yet) with every entity's routes, \`GET ${project.healthPath}\`, and 404 for anything else. */
export function ${project.exports.createApp}(services: AppServices = {}): Server {
  const routers: Router[] = [
${routers}
  ];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '${project.healthPath}') {
      if (request.method === 'GET' || request.method === 'HEAD') sendJson(response, 200, { status: 'ok' });
      else sendJson(response, 405, { error: 'MethodNotAllowed', message: \`\${request.method ?? '(none)'} is not allowed here (allowed: GET)\` }, { Allow: 'GET' });
      return;
    }
    for (const route of routers) {
      if (await route(request, response)) return;
    }
    sendJson(response, 404, { error: 'NotFound', message: \`no route for \${request.method ?? ''} \${url.pathname}\` });
  }

  return createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: 'InternalError', message: 'internal error' });
      else response.destroy();
    });
  });
}
`;
}

/** `src/main.ts`: starts the app on \`PORT\` (default 3000) and \`HOST\` (default 127.0.0.1), and stops it on SIGINT/SIGTERM. */
export function renderMainFile(project: ProjectConvention): string {
  return `import type { AddressInfo } from 'node:net';
import { ${project.exports.createApp} } from './app';

const port = Number(process.env['PORT'] ?? 3000);
const host = process.env['HOST'] ?? '127.0.0.1';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(\`PORT must be a port number (got "\${process.env['PORT'] ?? ''}")\`);
  process.exit(2);
}

const server = ${project.exports.createApp}();

server.on('error', (error) => {
  console.error(\`cannot listen on \${host}:\${port}: \${error.message}\`);
  process.exit(1);
});

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? \`[\${address.address}]\` : address.address;
  console.log(\`listening on http://\${shown}:\${address.port}\`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
`;
}
