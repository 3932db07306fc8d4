import { assertModeDefinition } from './define-mode';
import { DuplicateModeError, UnknownModeError } from './errors';
import type { ModeDefinition } from './types';

export type ModeSource = 'builtin' | 'custom';

export interface ModeListing {
  name: string;
  summary: string;
  source: ModeSource;
  commands: string[];
}

interface Entry {
  mode: ModeDefinition;
  source: ModeSource;
}

/** Modes by name. Built-in and custom modes share one namespace, so a custom mode cannot shadow a built-in one. */
export class ModeRegistry {
  #modes = new Map<string, Entry>();

  register(mode: ModeDefinition, opts: { source?: ModeSource } = {}): this {
    assertModeDefinition(mode);
    const existing = this.#modes.get(mode.name);
    if (existing) throw new DuplicateModeError(mode.name, existing.source);
    this.#modes.set(mode.name, { mode, source: opts.source ?? 'builtin' });
    return this;
  }

  has(name: string): boolean {
    return this.#modes.has(name);
  }

  get(name: string): ModeDefinition {
    const entry = this.#modes.get(name);
    if (!entry) throw new UnknownModeError(name, this.names());
    return entry.mode;
  }

  source(name: string): ModeSource {
    const entry = this.#modes.get(name);
    if (!entry) throw new UnknownModeError(name, this.names());
    return entry.source;
  }

  names(): string[] {
    return [...this.#modes.keys()];
  }

  /** In registration order (built-ins are registered first by convention). */
  list(): ModeListing[] {
    return [...this.#modes.values()].map(({ mode, source }) => ({
      name: mode.name,
      summary: mode.summary,
      source,
      commands: Object.keys(mode.commands ?? {}),
    }));
  }
}
