import * as http from 'node:http';
import { NotFoundError, ValidationError } from '../errors';
import { TaskService } from './task.service';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

function send(res: http.ServerResponse, status: number, body?: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError([{ code: 'custom', path: [], message: 'malformed JSON', input: text }]);
  }
}

/** Handles the /tasks routes; resolves to false for paths it does not own. */
export function createTaskRouter(service: TaskService): Handler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/tasks(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) return false;
    const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    try {
      if (id === undefined && req.method === 'POST') {
        const created = await service.create((await readJson(req)) as never);
        send(res, 201, created, { location: `/tasks/${encodeURIComponent(created.id)}` });
      } else if (id === undefined && req.method === 'GET') {
        const query = Object.fromEntries(url.searchParams);
        send(res, 200, await service.list(query as never));
      } else if (id !== undefined && req.method === 'GET') {
        send(res, 200, await service.get(id));
      } else if (id !== undefined && req.method === 'PATCH') {
        send(res, 200, await service.update(id, (await readJson(req)) as never));
      } else if (id !== undefined && req.method === 'DELETE') {
        await service.delete(id);
        res.writeHead(204, { 'content-type': 'application/json' });
        res.end();
      } else {
        send(res, 405, { error: 'MethodNotAllowed', message: `${req.method} is not allowed on ${url.pathname}` });
      }
    } catch (error) {
      if (error instanceof ValidationError) send(res, 400, { error: 'ValidationError', issues: error.issues });
      else if (error instanceof NotFoundError) send(res, 404, { error: 'NotFound', message: error.message });
      else send(res, 500, { error: 'Internal', message: (error as Error).message });
    }
    return true;
  };
}

export function createTaskServer(service: TaskService = new TaskService()): http.Server {
  const router = createTaskRouter(service);
  return http.createServer((req, res) => {
    void router(req, res).then((handled) => {
      if (!handled) send(res, 404, { error: 'NotFound', message: `no route for ${req.url}` });
    });
  });
}
