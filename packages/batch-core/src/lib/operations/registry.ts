import { UnknownOperationTypeError, ValidationError } from '../errors';
import type { AnyOperationHandler, OperationHandler } from './types';

/** Typed helper so a handler's `run` sees its parsed params. */
export function defineHandler<P, R>(handler: OperationHandler<P, R>): OperationHandler<P, R> {
  return handler;
}

/** Operation types by name. The engine looks handlers up here; users register their own. */
export class OperationRegistry {
  #handlers = new Map<string, OperationHandler>();

  constructor(handlers: Iterable<AnyOperationHandler> = []) {
    for (const handler of handlers) this.register(handler);
  }

  register<P, R>(handler: OperationHandler<P, R>, opts: { replace?: boolean } = {}): this {
    if (!handler || typeof handler.type !== 'string' || !/^[a-z][\w.-]*$/i.test(handler.type)) {
      throw new ValidationError(`handler type must be a name like "file.read" (got ${JSON.stringify(handler?.type)})`, [{ path: 'type', message: 'invalid name' }]);
    }
    if (typeof handler.run !== 'function') throw new ValidationError(`handler "${handler.type}" has no run function`, [{ path: 'run', message: 'required' }]);
    if (this.#handlers.has(handler.type) && !opts.replace) {
      throw new ValidationError(`operation type "${handler.type}" is already registered (pass { replace: true } to override)`, [{ path: 'type', message: 'duplicate' }]);
    }
    this.#handlers.set(handler.type, handler as unknown as OperationHandler);
    return this;
  }

  has(type: string): boolean {
    return this.#handlers.has(type);
  }

  get(type: string): OperationHandler {
    const handler = this.#handlers.get(type);
    if (!handler) throw new UnknownOperationTypeError(type, this.types());
    return handler;
  }

  /** Non-throwing lookup for hot paths. */
  find(type: string): OperationHandler | undefined {
    return this.#handlers.get(type);
  }

  types(): string[] {
    return [...this.#handlers.keys()].sort();
  }
}
