import { SparcError, ValidationError, type ValidationIssue } from '@sparc/batch-core';

/** A generator name that is neither built in nor a template under `.sparc/templates/`. */
export class UnknownGeneratorError extends ValidationError {
  constructor(
    readonly generator: string,
    readonly known: string[],
  ) {
    super(`unknown generator "${generator}" (known: ${known.join(', ')})`, [{ path: 'generator', message: `unknown generator "${generator}"` }], 'UNKNOWN_GENERATOR');
  }
}

/** Options that do not fit together or miss what a generator needs (`--entity` for crud...). */
export class GenerateOptionsError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[]) {
    super(message, issues, 'GENERATE_OPTIONS_INVALID');
  }
}

/** A user template is malformed: no `files/` folder, a schema module that exports no zod schema... */
export class TemplateError extends SparcError {
  constructor(
    readonly template: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('TEMPLATE_INVALID', `template "${template}": ${message}`, options);
  }
}

/** Template variables that fail the template's schema; `issues` name each variable. */
export class TemplateVariablesError extends ValidationError {
  constructor(
    readonly template: string,
    issues: ValidationIssue[],
  ) {
    super(`template "${template}": ${issues.map((i) => `variable "${i.path}": ${i.message}`).join('; ')}`, issues, 'TEMPLATE_VARIABLES_INVALID');
  }
}

/** Two generated files with the same path. */
export class DuplicateOutputError extends SparcError {
  constructor(readonly paths: string[]) {
    super('DUPLICATE_OUTPUT', `more than one generated file would be written to: ${paths.join(', ')}`);
  }
}

/** A worker file of this package is missing: the package was used from source without being built. */
export class WorkerModuleMissingError extends SparcError {
  constructor(readonly file: string) {
    super('WORKER_MODULE_MISSING', `worker module ${file} is missing: build @sparc/code first (npx tsc -p tsconfig.lib.json in packages/sparc-code)`);
  }
}

/** A transform module that cannot be loaded or does not export a function. */
export class TransformModuleError extends SparcError {
  constructor(
    readonly module: string,
    message: string,
  ) {
    super('TRANSFORM_MODULE_INVALID', `transform ${module}: ${message}`);
  }
}
