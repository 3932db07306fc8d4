import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { LocalRefResolver } from './dereference';
import { toJsonSchema, type OpenApiVersion } from './openapi-schema';

export type { ErrorObject };

export interface CompiledSchema {
  validate(value: unknown): ErrorObject[];
}

/**
 * Compiles response schemas of one OpenAPI document with ajv: the draft-7 build for 3.0 (after
 * `nullable` and boolean exclusive limits are converted) and the 2020-12 build for 3.1. Recursive
 * references left by the dereferencer become definitions of the compiled root schema.
 */
export class SchemaCompiler {
  readonly #ajv: Ajv;
  readonly #version: OpenApiVersion;
  readonly #resolver: LocalRefResolver;
  readonly #cache = new WeakMap<object, CompiledSchema>();
  readonly #defsKeyword: '$defs' | 'definitions';

  constructor(version: OpenApiVersion, resolver: LocalRefResolver) {
    this.#version = version;
    this.#resolver = resolver;
    // strict: off because OpenAPI adds keywords of its own (example, xml, discriminator, ...);
    // logger: off so unknown formats do not print to the console of a CLI that prints JSON.
    const options = { allErrors: true, strict: false, logger: false as const };
    this.#ajv = version === '3.1' ? new Ajv2020(options) : new Ajv(options);
    // keywords: false: formatMaximum & co. are not OpenAPI, and ajv-formats' keyword code needs
    // the very copy of ajv it was installed with.
    addFormats(this.#ajv as unknown as Parameters<typeof addFormats>[0], { keywords: false });
    this.#defsKeyword = version === '3.1' ? '$defs' : 'definitions';
  }

  /** A validator for a dereferenced schema. Throws ajv's error when the schema itself is invalid. */
  compile(schema: unknown): CompiledSchema {
    const key = schema !== null && typeof schema === 'object' ? schema : undefined;
    const cached = key ? this.#cache.get(key) : undefined;
    if (cached) return cached;
    const definitions = new Map<string, string>();
    const pending: string[] = [];
    const rewrite = (ref: string) => {
      let name = definitions.get(ref);
      if (name === undefined) {
        name = `ref${definitions.size}_${ref.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+/, '')}`;
        definitions.set(ref, name);
        pending.push(ref);
      }
      return `#/${this.#defsKeyword}/${name}`;
    };
    // One memo per compiled root: a converted subtree holds the names of this root's definitions.
    const memo = new WeakMap<object, unknown>();
    const converted = toJsonSchema(schema, this.#version, rewrite, memo);
    const defs: Record<string, unknown> = {};
    // Definitions may reference further definitions: convert until none is left.
    for (let i = 0; i < pending.length; i++) {
      const ref = pending[i];
      defs[definitions.get(ref) as string] = toJsonSchema(this.#resolver.refTarget(ref), this.#version, rewrite, memo);
    }
    const root = pending.length === 0 ? converted : { allOf: [converted], [this.#defsKeyword]: defs };
    const validateFn: ValidateFunction = this.#ajv.compile(typeof root === 'boolean' ? root : (root as object));
    const compiled: CompiledSchema = {
      validate: (value) => (validateFn(value) ? [] : [...(validateFn.errors ?? [])]),
    };
    if (key) this.#cache.set(key, compiled);
    return compiled;
  }
}
