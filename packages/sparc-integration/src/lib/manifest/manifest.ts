import { ServiceSchema, formatIssuePath, type ServiceSpec, type ValidationIssue, type Workspace } from '@sparc/batch-core';
import { z } from 'zod';
import { ManifestError } from '../errors';
import { parseStructuredText } from '../structured-text';
import { findDependencyCycle } from './start-order';

/** `sparc integration check --services FILE`: the same service fields as the spec's `services`. */
export const ManifestSchema = z
  .object({
    $schema: z.string().optional(),
    services: z.array(ServiceSchema),
  })
  .strict()
  .superRefine((manifest, ctx) => checkServiceRules(manifest.services, (issue) => ctx.addIssue({ code: 'custom', ...issue })));

export interface Manifest {
  services: ServiceSpec[];
}

/** Duplicate names, unknown or self dependencies, dependency cycles and GET/HEAD probes with a body, by path. */
function checkServiceRules(services: ServiceSpec[], report: (issue: { path: (string | number)[]; message: string }) => void): void {
  const names = new Set<string>();
  services.forEach((service, i) => {
    if (names.has(service.name)) report({ path: ['services', i, 'name'], message: `duplicate service name "${service.name}"` });
    names.add(service.name);
  });
  services.forEach((service, i) =>
    (service.dependsOn ?? []).forEach((dependency, j) => {
      if (dependency === service.name) report({ path: ['services', i, 'dependsOn', j], message: 'a service cannot depend on itself' });
      else if (!names.has(dependency)) report({ path: ['services', i, 'dependsOn', j], message: `unknown service "${dependency}" (known: ${[...names].join(', ')})` });
    }),
  );
  services.forEach((service, i) =>
    (service.probes ?? []).forEach((probe, j) => {
      if (probe.body !== undefined && (probe.method === 'GET' || probe.method === 'HEAD')) {
        report({ path: ['services', i, 'probes', j, 'body'], message: `a ${probe.method} request cannot have a body` });
      }
    }),
  );
  const cycle = findDependencyCycle(services);
  if (cycle) {
    const index = services.findIndex((s) => s.name === cycle[0]);
    report({ path: ['services', index, 'dependsOn'], message: `dependency cycle: ${cycle.join(' -> ')}` });
  }
}

/**
 * `services[1].probes[0].path` → `service "api" (services[1]) field "probes[0].path"`: people know
 * their services by name, not by position.
 */
export function describeServiceIssue(path: readonly PropertyKey[], message: string, rawServices: unknown): ValidationIssue {
  const at = path[0] === 'services' ? 1 : 0;
  const index = path[at];
  const fullPath = formatIssuePath(path);
  if (typeof index !== 'number') return { path: fullPath, message };
  const raw = Array.isArray(rawServices) ? (rawServices[index] as { name?: unknown } | undefined) : undefined;
  const who = typeof raw?.name === 'string' && raw.name !== '' ? `service "${raw.name}" (services[${index}])` : `services[${index}]`;
  const rest = path.slice(at + 1);
  return { path: fullPath, message: rest.length > 0 ? `${who} field "${formatIssuePath(rest)}": ${message}` : `${who}: ${message}` };
}

/** Validates a parsed manifest. `source` names it in messages (a file, or "spec"). */
export function parseManifest(input: unknown, source = 'manifest'): Manifest {
  const parsed = ManifestSchema.safeParse(input);
  if (parsed.success) return { services: parsed.data.services };
  const rawServices = (input as { services?: unknown } | null)?.services;
  const issues = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.join(', ');
      return describeServiceIssue(issue.path, `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`, rawServices);
    }
    return describeServiceIssue(issue.path, issue.message, rawServices);
  });
  throw manifestError(source, issues);
}

/** Checks services that came from somewhere else (the spec) for the rules the spec schema does not know. */
export function checkServices(services: ServiceSpec[], source: string): Manifest {
  const issues: ValidationIssue[] = [];
  checkServiceRules(services, (issue) => issues.push(describeServiceIssue(issue.path, issue.message, services)));
  if (issues.length > 0) throw manifestError(source, issues);
  return { services };
}

function manifestError(source: string, issues: ValidationIssue[]): ManifestError {
  const listed = issues.slice(0, 5).map((i) => i.message).join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new ManifestError(`invalid services manifest ${source}: ${listed}${more}`, issues, source);
}

/** Reads a manifest file inside the workspace (JSON, or YAML by extension). */
export async function loadManifestFile(workspace: Workspace, file: string): Promise<Manifest> {
  let text: string;
  try {
    text = (await workspace.readFile(file)).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new ManifestError(`cannot read services manifest ${file}: ${reason}`, [{ path: 'services', message: reason }], file);
  }
  let data: unknown;
  try {
    data = parseStructuredText(text, file);
  } catch (error) {
    throw new ManifestError(`services manifest ${file} does not parse: ${(error as Error).message}`, [], file);
  }
  return parseManifest(data, file);
}
