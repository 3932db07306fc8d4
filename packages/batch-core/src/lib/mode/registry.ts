import { assertModeDefinition } from './define-mode';
import { DuplicateModeError, ModeDefinitionError, UnknownModeError } from './errors';
import type { ModeDefinition } from './types';

export type ModeSource = 'builtin' | 'custom';

export interface ModeListing {
  name: string;
  summary: string;
  source: ModeSource;
  commands: string[];
}

/** A mode known by name whose definition loads on first use (its package and dependencies). */
export type ModeLoader = () => ModeDefinition;

interface Entry {
  source: ModeSource;
  mode?: ModeDefinition;
  load?: ModeLoader;
}

/** Modes by name. Built-in and custom modes share one namespace, so a custom mode cannot shadow a built-in one. */
export class ModeRegistry {
  #modes = new Map<string, Entry>();

  register(mode: ModeDefinition, opts: { source?: ModeSource } = {}): this {
    assertModeDefinition(mode);
    return this.#add(mode.name, { mode, source: opts.source ?? 'builtin' });
  }

  /**
   * Registers `name` now and loads its definition when it is first read (`get`, `list`), so that
   * running one mode does not load every other mode's package. The loaded definition is checked as
   * `register` checks it, and must carry the registered name.
   */
  registerLazy(name: string, load: ModeLoader, opts: { source?: ModeSource } = {}): this {
    return this.#add(name, { load, source: opts.source ?? 'builtin' });
  }

  #add(name: string, entry: Entry): this {
    const existing = this.#modes.get(name);
    if (existing) throw new DuplicateModeError(name, existing.source);
    this.#modes.set(name, entry);
    return this;
  }

  has(name: string): boolean {
    return this.#modes.has(name);
  }

  get(name: string): ModeDefinition {
    return this.#loaded(name, this.#entry(name));
  }

  source(name: string): ModeSource {
    return this.#entry(name).source;
  }

  names(): string[] {
    return [...this.#modes.keys()];
  }

  /** In registration order (built-ins are registered first by convention). Loads every lazy mode. */
  list(): ModeListing[] {
    return [...this.#modes].map(([name, entry]) => {
      const mode = this.#loaded(name, entry);
      return { name, summary: mode.summary, source: entry.source, commands: Object.keys(mode.commands ?? {}) };
    });
  }

  /** A registry with the same modes, in the same order; lazy modes stay unloaded until read. */
  copy(): ModeRegistry {
    const copy = new ModeRegistry();
    for (const [name, entry] of this.#modes) copy.#modes.set(name, entry.mode ? { mode: entry.mode, source: entry.source } : { load: () => this.get(name), source: entry.source });
    return copy;
  }

  #entry(name: string): Entry {
    const entry = this.#modes.get(name);
    if (!entry) throw new UnknownModeError(name, this.names());
    return entry;
  }

  #loaded(name: string, entry: Entry): ModeDefinition {
    if (entry.mode) return entry.mode;
    const mode = (entry.load as ModeLoader)();
    assertModeDefinition(mode);
    if (mode.name !== name) throw new ModeDefinitionError(name, [{ path: 'name', message: `the loader for "${name}" returned a mode named "${mode.name}"` }]);
    entry.mode = mode;
    entry.load = undefined;
    return mode;
  }
}
