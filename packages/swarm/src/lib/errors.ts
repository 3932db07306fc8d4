import { SparcError, ValidationError, type ValidationIssue } from '@sparc/batch-core';

/** A plan that cannot run: schema problems, duplicate ids, unknown dependencies, cycles, capabilities nobody has. */
export class PlanError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[] = [], code = 'INVALID_PLAN') {
    super(message, issues, code);
  }
}

/** Redis cannot be reached (or stopped answering for longer than the allowed window). */
export class RedisUnavailableError extends SparcError {
  constructor(readonly url: string, reason: string) {
    super('REDIS_UNAVAILABLE', `cannot reach Redis at ${url}: ${reason}`);
  }
}

/** `sparc swarm status RUN` for a run that no state store knows. */
export class RunNotFoundError extends SparcError {
  constructor(readonly runId: string, where: string) {
    super('RUN_NOT_FOUND', `no swarm run "${runId}" in ${where}`);
  }
}

/** Another live coordinator holds the run. */
export class RunLockedError extends SparcError {
  constructor(readonly runId: string, holder: string) {
    super('RUN_LOCKED', `swarm run "${runId}" is being coordinated by ${holder}; stop it first or wait for its lease to expire`);
  }
}

/** Options that do not fit: named field, actionable message. */
export class SwarmOptionsError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[] = []) {
    super(message, issues, 'INVALID_SWARM_OPTIONS');
  }
}
