import type { FileFacts, LocalExport } from './facts';
import type { ModuleResolver } from './resolve';

/** One exported declaration of a source module: what a test has to import for it to count as tested. */
export interface ExportedDeclaration extends LocalExport {
  file: string;
}

export const declarationKey = (file: string, name: string): string => `${file}#${name}`;

/**
 * The modules' exports with re-exports followed: which declaration a name imported from a module
 * (a barrel, a barrel of barrels, `export *`, `export * as ns`) ends at. Memoized; cycles between
 * barrels end the walk instead of looping.
 */
export class ExportGraph {
  readonly #facts: ReadonlyMap<string, FileFacts>;
  readonly #resolver: ModuleResolver;
  readonly #byName = new Map<string, readonly string[]>();
  readonly #names = new Map<string, ReadonlySet<string>>();
  readonly #inProgress = new Set<string>();

  constructor(facts: ReadonlyMap<string, FileFacts>, resolver: ModuleResolver) {
    this.#facts = facts;
    this.#resolver = resolver;
  }

  /** Keys (`file#name`) of the declarations `name` imported from `file` stands for. */
  declarationsOf(file: string, name: string): readonly string[] {
    const key = declarationKey(file, name);
    const known = this.#byName.get(key);
    if (known !== undefined) return known;
    if (this.#inProgress.has(key)) return [];
    this.#inProgress.add(key);
    const found = new Set<string>();
    const facts = this.#facts.get(file);
    for (const fact of facts?.exports ?? []) {
      if (fact.type === 'local' && fact.name === name) {
        found.add(key);
      } else if (fact.type === 're-export' && fact.name === name) {
        const target = this.#resolver.resolve(file, fact.from);
        if (target !== undefined) for (const k of this.declarationsOf(target, fact.imported)) found.add(k);
      } else if (fact.type === 'namespace' && fact.name === name) {
        const target = this.#resolver.resolve(file, fact.from);
        if (target !== undefined) for (const k of this.everyDeclarationOf(target)) found.add(k);
      }
    }
    // `export *` never forwards a default export, and a module's own names shadow starred ones.
    if (found.size === 0 && name !== 'default') {
      for (const fact of facts?.exports ?? []) {
        if (fact.type !== 'star') continue;
        const target = this.#resolver.resolve(file, fact.from);
        if (target !== undefined) for (const k of this.declarationsOf(target, name)) found.add(k);
      }
    }
    this.#inProgress.delete(key);
    const result = [...found];
    this.#byName.set(key, result);
    return result;
  }

  /** Every name `file` exports, its own and re-exported ones. */
  exportedNames(file: string): ReadonlySet<string> {
    const known = this.#names.get(file);
    if (known !== undefined) return known;
    const marker = `names:${file}`;
    if (this.#inProgress.has(marker)) return new Set();
    this.#inProgress.add(marker);
    const names = new Set<string>();
    for (const fact of this.#facts.get(file)?.exports ?? []) {
      if (fact.type !== 'star') {
        names.add(fact.name);
        continue;
      }
      const target = this.#resolver.resolve(file, fact.from);
      if (target !== undefined) for (const n of this.exportedNames(target)) if (n !== 'default') names.add(n);
    }
    this.#inProgress.delete(marker);
    this.#names.set(file, names);
    return names;
  }

  /** The declarations behind every export of `file` (what `import * as m` may reach). */
  everyDeclarationOf(file: string): string[] {
    const found = new Set<string>();
    for (const name of this.exportedNames(file)) for (const k of this.declarationsOf(file, name)) found.add(k);
    return [...found];
  }
}
