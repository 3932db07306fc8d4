import type { z } from 'zod';

/** Input that does not match the entity's schema; `issues` are zod's. */
export class ValidationError extends Error {
  readonly code = 'VALIDATION';
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(`invalid input: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}
