import { SparcError, ValidationError, type ValidationIssue } from '../errors';

/** A mode definition that cannot work (bad name, options not a zod object, missing run...). */
export class ModeDefinitionError extends ValidationError {
  constructor(modeName: string, issues: ValidationIssue[]) {
    super(`invalid mode definition "${modeName}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, 'INVALID_MODE_DEFINITION');
  }
}

export class DuplicateModeError extends SparcError {
  constructor(readonly modeName: string, readonly existingSource: string) {
    super('DUPLICATE_MODE', `mode "${modeName}" is already registered (${existingSource}); pick another name`);
  }
}

export class UnknownModeError extends SparcError {
  constructor(readonly modeName: string, readonly known: string[]) {
    super('UNKNOWN_MODE', `unknown mode "${modeName}" (known: ${known.length > 0 ? known.join(', ') : 'none registered'})`);
  }
}

/** Options that do not fit the mode's schema: unknown flags, values of the wrong type, failed checks. */
export class ModeOptionsError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[]) {
    super(message, issues, 'INVALID_OPTIONS');
  }
}

/** Artifact names that would land outside the mode's report folder. */
export class ArtifactPathError extends SparcError {
  constructor(readonly artifactName: string, reason: string) {
    super('INVALID_ARTIFACT_PATH', `artifact name "${artifactName}" refused: ${reason}`);
  }
}
