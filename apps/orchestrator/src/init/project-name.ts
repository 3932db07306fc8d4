import { InitError } from './errors';

/** npm's rules for an unscoped package name, since the name becomes package.json's `name`. */
const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const MAX_LENGTH = 214;

export function assertProjectName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw new InitError('INIT_INVALID_NAME', 'a project NAME is needed, e.g. "sparc init todo-api"');
  if (name.length > MAX_LENGTH) throw new InitError('INIT_INVALID_NAME', `project name "${name.slice(0, 40)}..." is longer than ${MAX_LENGTH} characters`);
  if (!NAME.test(name)) {
    throw new InitError('INIT_INVALID_NAME', `project name "${name}" must be lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (it becomes the npm package name)`);
  }
}

/** 20000–29999 from the name, so two generated projects rarely ask for the same port. */
export function servicePort(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619) >>> 0;
  return 20000 + (hash % 10000);
}
