import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { entityConvention, projectConvention } from '@sparc/batch-core';
import type { SpecCheckInput, SpecIssue } from './types';

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The program a start command runs: its first word, unless it sets variables first. */
function program(command: string): string | undefined {
  return command
    .trim()
    .split(/\s+/)
    .find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
}

async function onPath(name: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) if (await exists(path.join(dir, name))) return true;
  return false;
}

/** Whether something already listens on the address: the service could not bind it. */
function portInUse(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    const done = (inUse: boolean) => {
      signal.removeEventListener('abort', onAbort);
      server.close(() => resolve(inUse));
    };
    const onAbort = () => done(false);
    signal.addEventListener('abort', onAbort, { once: true });
    server.once('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      resolve(error.code === 'EADDRINUSE');
    });
    server.listen({ host, port, exclusive: true }, () => done(false));
  });
}

/** Whether the spec can be carried out here: folders, files, commands and ports it relies on. */
export async function feasibility({ spec, workspace, signal }: SpecCheckInput): Promise<SpecIssue[]> {
  const issues: SpecIssue[] = [];
  const add = (severity: SpecIssue['severity'], id: string, p: string, message: string) => issues.push({ check: 'feasibility', severity, id, path: p, message });
  const inside = (p: string) => !path.isAbsolute(p) && workspace.contains(path.resolve(workspace.root, p));

  if (!inside(spec.targets.src)) add('error', 'src-outside-workspace', 'targets.src', `"${spec.targets.src}" is outside the workspace: nothing can be generated there`);
  const generated = new Set<string>();
  for (const entity of spec.entities) for (const file of Object.values(entityConvention(entity, spec.targets.src).files)) generated.add(file);
  // Code generation also writes the app-wide modules, among them the OpenAPI document of every entity.
  if (spec.entities.length > 0) {
    const project = projectConvention(spec.targets.src) as unknown as Record<string, unknown>;
    for (const value of Object.values(project)) if (typeof value === 'string' && /\.(ts|json)$/.test(value)) generated.add(value);
  }

  await Promise.all(
    spec.entities.map(async (entity, i) => {
      const convention = entityConvention(entity, spec.targets.src);
      const existing: string[] = [];
      for (const file of [convention.files.schema, convention.files.service, convention.files.http]) if (inside(file) && (await exists(path.join(workspace.root, file)))) existing.push(file);
      if (existing.length > 0) add('warning', 'generated-file-exists', `entities[${i}]`, `${existing.join(', ')} already exist: code generation reports a conflict unless their content is what it would write`);
    }),
  );

  await Promise.all(
    spec.services.map(async (service, i) => {
      const cwd = service.cwd ?? '.';
      if (!inside(cwd)) add('error', 'cwd-outside-workspace', `services[${i}].cwd`, `"${cwd}" is outside the workspace`);
      else if (!(await exists(path.join(workspace.root, cwd)))) add('warning', 'cwd-missing', `services[${i}].cwd`, `folder "${cwd}" does not exist (yet)`);
      if (service.openapi) {
        const file = service.openapi;
        if (!inside(file)) add('error', 'openapi-outside-workspace', `services[${i}].openapi`, `"${file}" is outside the workspace`);
        else if (!(await exists(path.join(workspace.root, file)))) {
          if (generated.has(file)) add('info', 'openapi-generated', `services[${i}].openapi`, `${file} does not exist yet; code generation writes it`);
          else add('error', 'openapi-missing', `services[${i}].openapi`, `${file} does not exist and nothing in the spec generates it`);
        }
      }
      if (service.start) {
        const exe = program(service.start);
        if (exe && exe.includes('/')) {
          if (!(await exists(path.resolve(workspace.root, cwd, exe)))) add('warning', 'start-program-missing', `services[${i}].start`, `${exe} does not exist (yet) in ${cwd}`);
        } else if (exe && !(await onPath(exe))) {
          add('error', 'start-program-not-found', `services[${i}].start`, `"${exe}" is not on PATH: the service cannot start`);
        }
        try {
          const url = new URL(service.url);
          const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
          const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
          if (['127.0.0.1', '0.0.0.0', '::1'].includes(host) && port >= 1024 && (await portInUse(host, port, signal))) {
            add('warning', 'port-in-use', `services[${i}].url`, `${host}:${port} is in use right now: ${service.name} would fail to listen`);
          }
        } catch {
          // the schema already checked the URL
        }
      }
      if (service.readinessTimeoutMs !== undefined && service.readinessTimeoutMs < 500) {
        add('warning', 'readiness-timeout-short', `services[${i}].readinessTimeoutMs`, `${service.readinessTimeoutMs} ms is shorter than most services take to start`);
      }
    }),
  );

  const planned = new Set(spec.targets.modules.map((m) => m.path));
  await Promise.all(
    spec.targets.modules.map(async (module, i) => {
      if (!inside(module.path)) add('error', 'module-outside-workspace', `targets.modules[${i}].path`, `"${module.path}" is outside the workspace`);
      await Promise.all(
        module.imports.map(async (target, j) => {
          if (planned.has(target) || generated.has(target)) return;
          if (!inside(target) || !(await exists(path.join(workspace.root, target)))) {
            add('warning', 'import-target-missing', `targets.modules[${i}].imports[${j}]`, `${target} neither exists nor is planned`);
          }
        }),
      );
    }),
  );
  return issues;
}
