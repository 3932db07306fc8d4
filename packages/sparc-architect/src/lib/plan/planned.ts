import type { Adjacency } from '../graph/build-graph';
import type { Resolver } from '../resolve/resolver';
import { compileRules, type RulesFile } from '../rules/rules';

/** A module the spec plans (`targets.modules`): its path and what it will import. */
export interface PlannedModuleInput {
  path: string;
  imports: string[];
}

export interface PlannedImport {
  /** As written in the spec. */
  import: string;
  /** Module path (existing or planned), package name, or null when it leads nowhere. */
  resolved: string | null;
  kind: 'module' | 'planned' | 'external' | 'unresolved';
}

export interface PlannedModuleReport {
  path: string;
  component: string;
  /** The module exists already (its planned imports are added to its current ones). */
  exists: boolean;
  imports: PlannedImport[];
  /** A planned import closes an import cycle. */
  createsCycle: boolean;
  /** One such cycle, starting at this module. */
  cycle?: string[];
  violations: Array<{ rule: string; severity: 'error' | 'warning' | 'info'; to: string; comment?: string }>;
}

export interface PlanContext {
  modules: readonly string[];
  index: ReadonlyMap<string, number>;
  /** The graph the cycles are judged on (run-time edges, or all with `--type-edges include`). */
  adj: Adjacency;
  resolver: Resolver;
  rules: RulesFile;
  componentOf(file: string): string;
}

/**
 * Where each planned module sits and what its planned imports would do: each import is resolved
 * from the planned file (a workspace path like `src/db/index.ts`, a relative specifier, an alias or
 * a package), added to the graph with the other planned imports, and checked for cycles and rules.
 */
export function planModules(planned: readonly PlannedModuleInput[], ctx: PlanContext): PlannedModuleReport[] {
  const n = ctx.modules.length;
  const plannedIndex = new Map<string, number>();
  for (const p of planned) {
    const path = normalise(p.path);
    if (!ctx.index.has(path) && !plannedIndex.has(path)) plannedIndex.set(path, n + plannedIndex.size);
  }
  const names = [...ctx.modules, ...plannedIndex.keys()];
  const nodeOf = (path: string) => ctx.index.get(path) ?? plannedIndex.get(path);
  const extra = new Map<number, number[]>();
  const resolvedImports = planned.map((p) => {
    const from = normalise(p.path);
    const fromNode = nodeOf(from) as number;
    return p.imports.map((spec): PlannedImport => {
      const target = resolvePlanned(from, spec, ctx, plannedIndex);
      const node = target.kind === 'module' || target.kind === 'planned' ? nodeOf(target.resolved as string) : undefined;
      if (node !== undefined) {
        const list = extra.get(fromNode) ?? [];
        list.push(node);
        extra.set(fromNode, list);
      }
      return target;
    });
  });

  const successors = (v: number): number[] => {
    const out: number[] = [];
    if (v < n) for (let e = ctx.adj.offsets[v]; e < ctx.adj.offsets[v + 1]; e++) out.push(ctx.adj.targets[e]);
    const added = extra.get(v);
    if (added) out.push(...added);
    return out;
  };
  const compiled = compileRules(ctx.rules);

  return planned.map((p, i) => {
    const from = normalise(p.path);
    const fromNode = nodeOf(from) as number;
    const imports = resolvedImports[i];
    let cycle: string[] | undefined;
    for (const target of imports) {
      if (cycle || target.resolved === null || (target.kind !== 'module' && target.kind !== 'planned')) continue;
      const path = shortestPath(nodeOf(target.resolved) as number, fromNode, successors, names.length);
      if (path) cycle = [from, ...path.slice(0, -1).map((v) => names[v])];
    }
    const violations: PlannedModuleReport['violations'] = [];
    for (const target of imports) {
      if (target.resolved === null) continue;
      for (const { rule, from: matchFrom, to: matchTo } of compiled) {
        if (matchFrom(from) && matchTo(target.resolved)) violations.push({ rule: rule.name, severity: rule.severity, to: target.resolved, ...(rule.comment ? { comment: rule.comment } : {}) });
      }
    }
    return { path: from, component: ctx.componentOf(from), exists: ctx.index.has(from), imports, createsCycle: cycle !== undefined, ...(cycle ? { cycle } : {}), violations };
  });
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function resolvePlanned(from: string, spec: string, ctx: PlanContext, planned: ReadonlyMap<string, number>): PlannedImport {
  const asPath = normalise(spec);
  if (planned.has(asPath)) return { import: spec, resolved: asPath, kind: 'planned' };
  if (ctx.index.has(asPath)) return { import: spec, resolved: asPath, kind: 'module' };
  const attempts = spec.startsWith('.') ? [() => ctx.resolver.resolve(from, spec)] : [() => ctx.resolver.resolve('index', `./${asPath}`), () => ctx.resolver.resolve(from, spec)];
  for (const attempt of attempts) {
    const r = attempt();
    if (r.kind === 'module') return { import: spec, resolved: r.path, kind: 'module' };
    if (r.kind === 'external') return { import: spec, resolved: r.name, kind: 'external' };
  }
  for (const path of planned.keys()) if (path.replace(/\.[cm]?[jt]sx?$/, '') === asPath.replace(/\.[cm]?[jt]sx?$/, '')) return { import: spec, resolved: path, kind: 'planned' };
  return { import: spec, resolved: null, kind: 'unresolved' };
}

/** Breadth-first path from `start` to `goal` (both included), or undefined. */
function shortestPath(start: number, goal: number, successors: (v: number) => number[], size: number): number[] | undefined {
  const parent = new Int32Array(size).fill(-1);
  const queue = [start];
  parent[start] = start;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    if (v === goal) {
      const path = [v];
      for (let u = v; u !== start; u = parent[u]) path.push(parent[u]);
      return path.reverse();
    }
    for (const w of successors(v)) {
      if (parent[w] !== -1) continue;
      parent[w] = v;
      queue.push(w);
    }
  }
  return undefined;
}
