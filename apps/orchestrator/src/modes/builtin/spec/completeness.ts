import type { SpecCheckInput, SpecIssue } from './types';

/** Whether the spec says enough to build and check what it describes. */
export function completeness({ spec }: SpecCheckInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const add = (severity: SpecIssue['severity'], id: string, path: string, message: string) => issues.push({ check: 'completeness', severity, id, path, message });

  if (spec.entities.length === 0 && spec.services.length === 0 && spec.requirements.length === 0) {
    add('error', 'empty', '(root)', 'the spec declares nothing to build: no entities, services or requirements');
  }
  if (!spec.description) add('info', 'no-description', 'name', 'no description: say in a sentence what the project is for');
  if (spec.requirements.length === 0) add('warning', 'no-requirements', 'requirements', 'no requirements: nothing says what "done" means');

  spec.requirements.forEach((requirement, i) => {
    if (requirement.acceptance.length === 0) {
      add(requirement.priority === 'must' ? 'error' : 'warning', 'requirement-without-acceptance', `requirements[${i}]`, `requirement ${requirement.id} has no acceptance criteria: it cannot be checked`);
    }
  });

  spec.entities.forEach((entity, i) => {
    const mentioned = spec.requirements.some((r) => r.entity === entity.name || new RegExp(`\\b${entity.name}\\b`).test(`${r.text} ${r.acceptance.join(' ')}`));
    if (spec.requirements.length > 0 && !mentioned) add('info', 'entity-without-requirement', `entities[${i}]`, `no requirement is about entity ${entity.name}`);
    if (entity.fields.every((f) => f.optional)) {
      add('warning', 'all-fields-optional', `entities[${i}].fields`, `every field of ${entity.name} is optional: creating one from an empty object is valid`);
    }
  });

  spec.services.forEach((service, i) => {
    if (!service.openapi && (!service.probes || service.probes.length === 0)) {
      add('warning', 'service-without-contract', `services[${i}]`, `service ${service.name} has neither an openapi document nor probes: only its health can be checked`);
    }
    if (!service.start) add('info', 'service-not-started', `services[${i}]`, `service ${service.name} has no start command: it must already be running when integration checks it`);
  });
  return issues;
}
