import { entityConvention, projectConvention } from '@sparc/batch-core';
import type { SpecCheckInput, SpecIssue } from './types';

function serviceCycle(services: SpecCheckInput['spec']['services']): string[] | undefined {
  const deps = new Map(services.map((s) => [s.name, s.dependsOn ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, 'visiting');
    trail.push(name);
    for (const dep of deps.get(name) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const service of services) {
    const cycle = visit(service.name);
    if (cycle) return cycle;
  }
  return undefined;
}

function hostPort(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    const host = parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname;
    return `${host}:${port}`;
  } catch {
    return undefined;
  }
}

/** Whether the parts of the spec agree with each other. */
export function consistency({ spec }: SpecCheckInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const add = (severity: SpecIssue['severity'], id: string, path: string, message: string) => issues.push({ check: 'consistency', severity, id, path, message });
  const src = spec.targets.src;
  const project = projectConvention(src);

  const routes = new Map<string, number>();
  const folders = new Map<string, number>();
  spec.entities.forEach((entity, i) => {
    const convention = entityConvention(entity, src);
    const route = convention.routes.collection;
    if (routes.has(route)) add('error', 'route-collision', `entities[${i}].name`, `${entity.name} and ${spec.entities[routes.get(route) as number].name} both get the route ${route}`);
    routes.set(route, i);
    if (folders.has(convention.dir)) add('error', 'module-collision', `entities[${i}].name`, `${entity.name} and ${spec.entities[folders.get(convention.dir) as number].name} both generate into ${convention.dir}/`);
    folders.set(convention.dir, i);
    if ([project.app, project.errors, project.main].some((file) => file.replace(/\.ts$/, '') === convention.dir)) {
      add('warning', 'shadows-project-module', `entities[${i}].name`, `${entity.name}'s folder ${convention.dir}/ sits beside ${convention.dir}.ts: "./${convention.kebab}" becomes ambiguous`);
    }
    const lower = new Map<string, number>();
    entity.fields.forEach((field, j) => {
      const key = field.name.toLowerCase();
      if (lower.has(key)) add('warning', 'fields-differ-by-case', `entities[${i}].fields[${j}].name`, `field "${field.name}" differs from "${entity.fields[lower.get(key) as number].name}" only by case`);
      lower.set(key, j);
      if (field.values && new Set(field.values).size !== field.values.length) add('warning', 'duplicate-enum-values', `entities[${i}].fields[${j}].values`, `enum field "${field.name}" lists a value twice`);
    });
  });

  spec.requirements.forEach((requirement, i) => {
    const entity = requirement.entity ? spec.entities.find((e) => e.name === requirement.entity) : undefined;
    if (!entity) return;
    const fields = new Set(['id', ...entity.fields.map((f) => f.name)]);
    requirement.acceptance.forEach((criterion, j) => {
      for (const match of criterion.matchAll(/`([A-Za-z_$][\w$]*)`/g)) {
        if (!fields.has(match[1]) && !spec.entities.some((e) => e.name === match[1])) {
          add('warning', 'unknown-field', `requirements[${i}].acceptance[${j}]`, `mentions \`${match[1]}\`, which ${entity.name} does not have (fields: ${[...fields].join(', ')})`);
        }
      }
    });
  });

  const cycle = serviceCycle(spec.services);
  if (cycle) {
    const index = spec.services.findIndex((s) => s.name === cycle[0]);
    add('error', 'service-dependency-cycle', `services[${index}].dependsOn`, `services depend on each other in a cycle: ${cycle.join(' -> ')}`);
  }
  const addresses = new Map<string, number>();
  spec.services.forEach((service, i) => {
    const address = hostPort(service.url);
    if (address === undefined) return;
    if (addresses.has(address)) add('error', 'same-address', `services[${i}].url`, `${service.name} and ${spec.services[addresses.get(address) as number].name} both listen on ${address}`);
    addresses.set(address, i);
  });

  const planned = new Map<string, number>();
  spec.targets.modules.forEach((module, i) => {
    if (planned.has(module.path)) add('error', 'module-listed-twice', `targets.modules[${i}].path`, `${module.path} is planned twice`);
    planned.set(module.path, i);
  });
  return issues;
}
