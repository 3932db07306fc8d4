import { pluralize } from '@sparc/batch-core';
import type { SpecCheckInput, SpecIssue } from './types';

/** Words that promise a quality without a bound a test could check. */
const VAGUE = /\b(fast|quick(?:ly)?|slow|easy|easily|simple|simply|user[- ]friendly|intuitive|appropriate(?:ly)?|efficient(?:ly)?|robust|seamless(?:ly)?|scalable|flexible|reasonable|good|nice|properly|correctly|as needed|etc\.?|and so on|responsive|secure(?:ly)?|reliabl[ey])\b/i;
const MEASURE = /\d/;
const STATUS_CODE = /\b[1-5]\d\d\b/;
const CRUD = /\b(create[sd]?|add(?:s|ed)?|list(?:s|ed)?|get(?:s)?|read(?:s)?|fetch(?:es|ed)?|update[sd]?|edit(?:s|ed)?|change[sd]?|delete[sd]?|remove[sd]?)\b/i;

/** Whether each requirement can become a test: concrete criteria, bounds instead of adjectives. */
export function testability({ spec }: SpecCheckInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const add = (severity: SpecIssue['severity'], id: string, path: string, message: string) => issues.push({ check: 'testability', severity, id, path, message });
  const entityWords = spec.entities.flatMap((e) => [e.name, pluralize(e.name)].map((w) => w.toLowerCase()));
  let derivable = 0;
  let total = 0;

  spec.requirements.forEach((requirement, i) => {
    let derivableHere = 0;
    requirement.acceptance.forEach((criterion, j) => {
      total++;
      const path = `requirements[${i}].acceptance[${j}]`;
      const vague = VAGUE.exec(criterion);
      if (vague && !MEASURE.test(criterion)) add('warning', 'vague-criterion', path, `"${vague[0]}" has no measurable bound (a number, a status code, a limit): a test cannot decide it`);
      if (criterion.trim().split(/\s+/).length < 3) add('warning', 'criterion-too-short', path, `"${criterion}" is too short to say what is checked`);
      const lower = criterion.toLowerCase();
      const aboutEntity = entityWords.some((w) => lower.includes(w)) || requirement.entity !== undefined;
      if (STATUS_CODE.test(criterion) || (CRUD.test(criterion) && aboutEntity)) {
        derivable++;
        derivableHere++;
      }
    });
    if (requirement.priority === 'must' && requirement.acceptance.length > 0 && derivableHere === 0) {
      add('warning', 'must-without-derivable-test', `requirements[${i}]`, `must-have requirement ${requirement.id}: none of its criteria names a status code or an operation on an entity, so each becomes an it.todo`);
    }
  });
  if (total > 0) {
    add('info', 'derivable-criteria', 'requirements', `${derivable} of ${total} acceptance criteria name a status code or an operation on an entity (tests can be derived); the rest become it.todo`);
  }
  return issues;
}
