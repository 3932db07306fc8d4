import { SparcError, ValidationError, type ValidationIssue } from '@sparc/batch-core';

/** A services manifest (spec `services` or `--services FILE`) that cannot be used; issues name the service and field. */
export class ManifestError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[] = [], readonly source?: string) {
    super(message, issues, 'MANIFEST_INVALID');
  }
}

/** An OpenAPI document that cannot be read, parsed or dereferenced. */
export class ContractDocumentError extends SparcError {
  constructor(readonly document: string, message: string, options?: { cause?: unknown }) {
    super('OPENAPI_INVALID', `${document}: ${message}`, options);
  }
}

/** A `wait` resource that is not `http(s)://...`, `tcp:host:port` or `file:path`. */
export class ResourceSpecError extends ValidationError {
  constructor(readonly resource: string, message: string) {
    super(`resource "${resource}": ${message}`, [{ path: 'resources', message }], 'WAIT_RESOURCE_INVALID');
  }
}

/** A service whose start command could not be spawned at all (bad cwd, no shell). */
export class ServiceStartError extends SparcError {
  constructor(readonly service: string, message: string, options?: { cause?: unknown }) {
    super('SERVICE_START_FAILED', `service "${service}": ${message}`, options);
  }
}
