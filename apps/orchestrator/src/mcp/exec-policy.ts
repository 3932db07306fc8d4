import { builtinHandlers, createDefaultRegistry, SparcError, type OperationHandler, type OperationRegistry } from '@sparc/batch-core';

/** Allows every command, shell command lines included. */
export const ALLOW_ANY = '*';

/** An operation the server's allow-list does not permit; nothing of its batch ran. */
export class ExecRefusedError extends SparcError {
  constructor(message: string) {
    super('EXEC_REFUSED', message);
  }
}

export interface Refusal {
  /** Operation id, or its index when the id is missing. */
  operation: string;
  reason: string;
}

/**
 * Which processes an MCP client may start. Over MCP the caller is an agent, not the person who
 * started the server, so `exec` runs only commands that person listed with `--allow-exec`.
 * `cpu` runs a workspace module's code in a worker thread, which is running `node` on code the
 * client can write, so it needs `node` on the list. A shell command line cannot be checked
 * command by command, so `shell: true` needs `*`.
 */
export class ExecPolicy {
  readonly #allowed: ReadonlySet<string>;

  constructor(allowed: Iterable<string> = []) {
    this.#allowed = new Set([...allowed].map((c) => c.trim()).filter((c) => c.length > 0));
  }

  /** The allow-list as given, for messages and the server's start-up line. */
  get allowed(): string[] {
    return [...this.#allowed];
  }

  /** Why running `command` is refused, or undefined when it is allowed. */
  execRefusal(command: unknown, shell: unknown): string | undefined {
    if (typeof command !== 'string' || command.length === 0) return 'exec needs a command';
    if (this.#allowed.has(ALLOW_ANY)) return undefined;
    if (this.#allowed.size === 0) return `exec of "${command}" refused: the server was started without --allow-exec`;
    if (shell === true) return `exec of shell command line "${command}" refused: shell: true needs --allow-exec '${ALLOW_ANY}' (allowed: ${this.allowed.join(', ')})`;
    if (!this.#allowed.has(command)) return `exec of "${command}" refused: not in --allow-exec (allowed: ${this.allowed.join(', ')})`;
    return undefined;
  }

  cpuRefusal(module: unknown): string | undefined {
    if (this.#allowed.has(ALLOW_ANY) || this.#allowed.has('node')) return undefined;
    return `cpu operation on module "${String(module)}" refused: it runs workspace code in node, which needs "node" in --allow-exec`;
  }

  /**
   * Every operation of a batch (raw input, before the engine validates it) that the policy
   * refuses. Checked before anything runs, so a refused batch changes nothing.
   */
  refusals(operations: unknown): Refusal[] {
    if (!Array.isArray(operations)) return [];
    const refusals: Refusal[] = [];
    operations.forEach((op: unknown, index) => {
      if (typeof op !== 'object' || op === null) return;
      const { id, type, params } = op as { id?: unknown; type?: unknown; params?: unknown };
      const name = typeof id === 'string' && id.length > 0 ? id : `#${index}`;
      const p = (typeof params === 'object' && params !== null ? params : {}) as { command?: unknown; shell?: unknown; module?: unknown };
      const reason = type === 'exec' ? this.execRefusal(p.command, p.shell) : type === 'cpu' ? this.cpuRefusal(p.module) : undefined;
      if (reason) refusals.push({ operation: name, reason });
    });
    return refusals;
  }

  /** Throws ExecRefusedError naming every refused operation. */
  assertBatchAllowed(batch: { operations?: unknown }): void {
    const refused = this.refusals(batch.operations);
    if (refused.length === 0) return;
    const lines = refused.map((r) => `operation "${r.operation}": ${r.reason}`);
    throw new ExecRefusedError(`batch refused, nothing ran: ${lines.join('; ')}`);
  }

  /**
   * The built-in operation types with `exec` and `cpu` checked when they run: what modes run
   * through the server's engines obeys the same list as batches sent directly.
   */
  guardedRegistry(): OperationRegistry {
    const registry = createDefaultRegistry();
    for (const handler of builtinHandlers) {
      if (handler.type === 'exec') registry.register(this.#guard(handler, (p) => this.execRefusal(p.command, p.shell)), { replace: true });
      if (handler.type === 'cpu') registry.register(this.#guard(handler, (p) => this.cpuRefusal(p.module)), { replace: true });
    }
    return registry;
  }

  #guard(handler: OperationHandler, refusal: (params: { command?: unknown; shell?: unknown; module?: unknown }) => string | undefined): OperationHandler {
    return {
      ...handler,
      run(params, ctx) {
        const reason = refusal(params as { command?: unknown; shell?: unknown; module?: unknown });
        if (reason) throw new ExecRefusedError(reason);
        return handler.run(params, ctx);
      },
    };
  }
}
