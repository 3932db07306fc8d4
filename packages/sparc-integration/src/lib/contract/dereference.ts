import { ContractDocumentError } from '../errors';
import { appendPointer, valueAtPointer } from './json-pointer';

/** Keys whose values are literal data, never schemas: a `$ref` inside them is not a reference. */
const LITERAL_KEYS = new Set(['example', 'examples', 'const', 'default', 'enum']);

export interface DereferenceOptions {
  /**
   * OpenAPI 3.0 ignores the siblings of a `$ref`; 3.1 (JSON Schema 2020-12) applies them as well,
   * so there they are kept beside the referenced schema in an `allOf`.
   */
  keepRefSiblings: boolean;
}

/**
 * Inlines the local `$ref`s (`#/components/...`) of an OpenAPI document. A reference back into a
 * schema that is still being inlined (a recursive schema) stays a `$ref`; `refTarget` gives its
 * dereferenced target, so a validator can be handed the recursive part as a definition. Each
 * reference is inlined once and shared, so the result is a DAG as large as the document.
 */
export class LocalRefResolver {
  readonly #document: unknown;
  readonly #name: string;
  readonly #options: DereferenceOptions;
  readonly #resolved = new Map<string, unknown>();

  constructor(document: unknown, name: string, options: DereferenceOptions) {
    this.#document = document;
    this.#name = name;
    this.#options = options;
  }

  /** The raw value a local reference points at. Throws ContractDocumentError for external or dangling refs. */
  target(ref: string, at: string): unknown {
    if (!ref.startsWith('#')) {
      throw new ContractDocumentError(this.#name, `external $ref "${ref}" at ${at || '/'} is not supported (only references inside the document, "#/...")`);
    }
    const pointer = decodeURIComponent(ref.slice(1));
    if (pointer !== '' && !pointer.startsWith('/')) throw new ContractDocumentError(this.#name, `$ref "${ref}" at ${at || '/'} is not a JSON pointer`);
    const value = valueAtPointer(this.#document, pointer);
    if (value === undefined) throw new ContractDocumentError(this.#name, `$ref "${ref}" at ${at || '/'} points at nothing`);
    return value;
  }

  /** The dereferenced target of a local reference. */
  refTarget(ref: string, at = ''): unknown {
    return this.#inlineRef(ref, at, []);
  }

  /** The value at `pointer` of the document (e.g. `/paths`), with its references inlined. */
  dereferenceAt(pointer: string): unknown {
    return this.#walk(valueAtPointer(this.#document, pointer), pointer, []);
  }

  #inlineRef(ref: string, at: string, stack: string[]): unknown {
    const known = this.#resolved.get(ref);
    if (known !== undefined) return known;
    const target = this.target(ref, at);
    const value = this.#walk(target, decodeURIComponent(ref.slice(1)), [...stack, ref]);
    this.#resolved.set(ref, value);
    return value;
  }

  #walk(value: unknown, at: string, stack: string[]): unknown {
    if (Array.isArray(value)) return value.map((item, i) => this.#walk(item, appendPointer(at, i), stack));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if (typeof object.$ref === 'string') {
      const ref = object.$ref;
      const siblings = Object.keys(object).filter((k) => k !== '$ref');
      if (stack.includes(ref)) {
        // Recursive: leave the reference; the validator resolves it through `refTarget`.
        if (!this.#options.keepRefSiblings || siblings.length === 0) return { $ref: ref };
        return this.#copy(object, at, stack);
      }
      const inlined = this.#inlineRef(ref, at, stack);
      const kept = this.#options.keepRefSiblings ? siblings.filter((k) => k !== 'description' && k !== 'summary') : [];
      if (kept.length === 0) return inlined;
      const rest = this.#copy(Object.fromEntries(kept.map((k) => [k, object[k]])), at, stack) as Record<string, unknown>;
      return { ...rest, allOf: [...((rest.allOf as unknown[] | undefined) ?? []), inlined] };
    }
    return this.#copy(object, at, stack);
  }

  #copy(object: Record<string, unknown>, at: string, stack: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(object)) {
      out[key] = LITERAL_KEYS.has(key) || key === '$ref' ? child : this.#walk(child, appendPointer(at, key), stack);
    }
    return out;
  }
}
