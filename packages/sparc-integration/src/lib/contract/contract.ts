import type { Workspace } from '@sparc/batch-core';
import { ContractDocumentError } from '../errors';
import { parseStructuredText } from '../structured-text';
import { LocalRefResolver } from './dereference';
import type { OpenApiVersion } from './openapi-schema';
import { compileTemplate, matchTemplate, serverBasePaths, type PathTemplate } from './path-match';
import { SchemaCompiler, type CompiledSchema } from './schema-compiler';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface MediaTypeSpec {
  schema?: unknown;
}

export interface ResponseSpec {
  /** The key it is declared under: `200`, `2XX` or `default`. */
  key: string;
  /** Declared bodies by media type; empty when the response has no body. */
  content: Record<string, MediaTypeSpec>;
}

export interface OperationMatch {
  /** The path template, e.g. `/pets/{petId}`. */
  template: string;
  method: string;
  responses: Record<string, unknown>;
}

/** One OpenAPI 3.0 or 3.1 document, dereferenced, with compiled response schemas on demand. */
export class Contract {
  readonly document: string;
  readonly version: OpenApiVersion;
  readonly #paths: Record<string, Record<string, unknown>>;
  readonly #templates: PathTemplate[];
  readonly #basePaths: string[];
  readonly #compiler: SchemaCompiler;

  private constructor(document: string, version: OpenApiVersion, paths: Record<string, Record<string, unknown>>, basePaths: string[], compiler: SchemaCompiler) {
    this.document = document;
    this.version = version;
    this.#paths = paths;
    this.#templates = Object.keys(paths).map(compileTemplate);
    this.#basePaths = basePaths;
    this.#compiler = compiler;
  }

  /** Reads a JSON or YAML document inside the workspace. Throws ContractDocumentError. */
  static async load(workspace: Workspace, file: string): Promise<Contract> {
    let text: string;
    try {
      text = (await workspace.readFile(file)).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ContractDocumentError(file, code === 'ENOENT' ? 'no such file' : (error as Error).message, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = parseStructuredText(text, file);
    } catch (error) {
      throw new ContractDocumentError(file, `does not parse: ${(error as Error).message}`, { cause: error });
    }
    return Contract.fromDocument(parsed, file);
  }

  /** From an already parsed document; `name` says where it came from in messages. */
  static fromDocument(document: unknown, name: string): Contract {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new ContractDocumentError(name, 'is not an object');
    const doc = document as Record<string, unknown>;
    const declared = doc.openapi;
    if (typeof declared !== 'string' || !/^3\.[01]\./.test(declared)) {
      const what = typeof doc.swagger === 'string' ? `Swagger ${doc.swagger}` : `openapi ${JSON.stringify(declared)}`;
      throw new ContractDocumentError(name, `${what} is not supported (OpenAPI 3.0.x or 3.1.x expected)`);
    }
    const version: OpenApiVersion = declared.startsWith('3.1.') ? '3.1' : '3.0';
    const resolver = new LocalRefResolver(doc, name, { keepRefSiblings: version === '3.1' });
    const paths = (resolver.dereferenceAt('/paths') ?? {}) as Record<string, Record<string, unknown>>;
    if (typeof paths !== 'object' || Array.isArray(paths)) throw new ContractDocumentError(name, '"paths" is not an object');
    return new Contract(name, version, paths, serverBasePaths(doc.servers), new SchemaCompiler(version, resolver));
  }

  /** The operation for a request, trying the path as given, then without a server base path. */
  findOperation(method: string, path: string): OperationMatch | undefined {
    const candidates = [path, ...this.#basePaths.filter((base) => path.startsWith(`${base}/`) || path === base).map((base) => path.slice(base.length) || '/')];
    for (const candidate of candidates) {
      const template = matchTemplate(this.#templates, candidate);
      if (!template) continue;
      const item = this.#paths[template.template] ?? {};
      const operation = item[method.toLowerCase()] as { responses?: Record<string, unknown> } | undefined;
      if (!METHODS.includes(method.toLowerCase()) || !operation) continue;
      return { template: template.template, method: method.toUpperCase(), responses: operation.responses ?? {} };
    }
    return undefined;
  }

  /** Methods the document declares for the path (for "not declared" messages). */
  methodsFor(path: string): string[] {
    const template = matchTemplate(this.#templates, path);
    if (!template) return [];
    return Object.keys(this.#paths[template.template] ?? {})
      .filter((key) => METHODS.includes(key))
      .map((m) => m.toUpperCase());
  }

  /** The response declared for `status`: exact code, then `2XX`-style range, then `default`. */
  responseFor(operation: OperationMatch, status: number): ResponseSpec | undefined {
    const keys = Object.keys(operation.responses);
    const key =
      keys.find((k) => k === String(status)) ?? keys.find((k) => k.toUpperCase() === `${String(status)[0]}XX`) ?? keys.find((k) => k === 'default');
    if (key === undefined) return undefined;
    const response = (operation.responses[key] ?? {}) as { content?: Record<string, MediaTypeSpec> };
    return { key, content: response.content && typeof response.content === 'object' ? response.content : {} };
  }

  compile(schema: unknown): CompiledSchema {
    return this.#compiler.compile(schema);
  }
}
