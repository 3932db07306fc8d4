import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors';
import { formatIssuePath } from '../mode/parse-option-args';
import { SparcSpecSchema, type SparcSpec } from './schema';

/** The spec file names looked for, in order, when none is given. */
export const SPEC_FILE_NAMES = ['sparc.spec.json', 'sparc.spec.yaml', 'sparc.spec.yml'] as const;

/** A spec that does not parse or does not match the schema; `issues` name each field (`entities[0].fields[1].type`). */
export class SpecError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[] = [], readonly source?: string) {
    super(message, issues, 'SPEC_INVALID');
  }
}

function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

/** Validates an already-parsed spec object. `source` names it in messages (a file path, or "spec"). */
export function parseSpec(input: unknown, source = 'spec'): SparcSpec {
  const parsed = SparcSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error);
  const listed = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new SpecError(`invalid spec ${source}: ${listed}${more}`, issues, source);
}

/** Reads and validates a spec file (JSON, or YAML by extension `.yaml`/`.yml`). */
export async function loadSpec(file: string): Promise<SparcSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecError(`cannot read spec ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, [], file);
  }
  let data: unknown;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    // Loaded on use: most specs are JSON, and the YAML parser is a large share of this package's load time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    data = yaml ? (require('yaml') as typeof import('yaml')).parse(text) : JSON.parse(text);
  } catch (error) {
    throw new SpecError(`spec ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`, [], file);
  }
  return parseSpec(data, file);
}

/** The first of `SPEC_FILE_NAMES` that exists in `dir`, as an absolute path; `undefined` if none. */
export async function findSpecFile(dir: string): Promise<string | undefined> {
  for (const name of SPEC_FILE_NAMES) {
    const candidate = path.join(dir, name);
    try {
      await readFile(candidate);
      return candidate;
    } catch {
      // try the next name
    }
  }
  return undefined;
}
