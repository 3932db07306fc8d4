/** What start ordering needs of a service. */
export interface DependencyNode {
  name: string;
  dependsOn?: string[];
}

/** The first dependency cycle found, spelled out (`a -> b -> a`), or undefined. Unknown names are ignored. */
export function findDependencyCycle(nodes: readonly DependencyNode[]): string[] | undefined {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dependency) || dependency === name) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Runs `start` for every node as soon as all its dependencies have succeeded, independent nodes
 * concurrently (at most `concurrency` at a time). A node whose dependency failed is not started:
 * `skip` is called with the name of the failed dependency. Resolves when every node is settled.
 * When a `start` throws, nothing more is started and the promise rejects with that error once the
 * starts in flight have settled, so the caller sees every process that was started.
 * Assumes no cycles and no unknown dependencies (the manifest has been checked).
 */
export async function runInDependencyOrder<N extends DependencyNode>(
  nodes: readonly N[],
  opts: { concurrency: number; start: (node: N) => Promise<boolean>; skip: (node: N, failedDependency: string) => void },
): Promise<void> {
  const outcome = new Map<string, boolean>();
  const pending = new Set(nodes);
  let running = 0;
  let thrown: { error: unknown } | undefined;
  return new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (thrown) {
        if (running === 0) reject(thrown.error);
        return;
      }
      for (const node of pending) {
        const failed = (node.dependsOn ?? []).find((d) => outcome.get(d) === false);
        if (failed === undefined) continue;
        pending.delete(node);
        outcome.set(node.name, false);
        opts.skip(node, failed);
        // A skip can block (as failures) nodes already looked at: look again from the start.
        return pump();
      }
      for (const node of [...pending]) {
        if (running >= opts.concurrency) break;
        if (!(node.dependsOn ?? []).every((d) => outcome.get(d) === true)) continue;
        pending.delete(node);
        running++;
        opts
          .start(node)
          .then(
            (ok) => outcome.set(node.name, ok),
            (error: unknown) => {
              outcome.set(node.name, false);
              thrown ??= { error };
            },
          )
          .finally(() => {
            running--;
            pump();
          });
      }
      if (pending.size === 0 && running === 0) resolve();
    };
    pump();
  });
}
