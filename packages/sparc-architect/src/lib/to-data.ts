import { edgeCounts, type ArchitectureAnalysis } from './analyze';
import type { ArchitectData } from './data';

/** The mode's `data` from an analysis (its schema, in data.ts, is checked by the mode runner). */
export function toData(a: ArchitectureAnalysis): ArchitectData {
  const names = a.graph.modules;
  const counts = edgeCounts(a.graph);
  const external = new Map<string, { name: string; imports: number; builtin: boolean }>();
  for (const ext of a.graph.external) {
    const entry = external.get(ext.name) ?? { name: ext.name, imports: 0, builtin: ext.builtin };
    entry.imports++;
    external.set(ext.name, entry);
  }
  return {
    modules: names.length,
    edges: a.typeEdges === 'include' ? counts.total : counts.runtime,
    cycles: a.sccs.map((component) => component.map((v) => names[v]).sort()),
    cycleExamples: a.examples.map((cycle) => cycle.map((v) => names[v])),
    cycleCount: a.cycleCount,
    orphans: a.orphans,
    components: a.components.metrics.map((c) => ({ name: c.name, kind: c.kind, modules: c.modules, fanIn: c.fanIn, fanOut: c.fanOut, instability: c.instability, inCycle: c.inCycle, dependsOn: c.dependsOn })).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
    unresolved: a.graph.unresolved,
    violations: a.violations,
    external: [...external.values()].sort((x, y) => y.imports - x.imports || (x.name < y.name ? -1 : 1)),
    typeEdges: a.typeEdges,
    typeOnlyEdges: counts.typeOnly,
    otherTypeEdges: {
      typeEdges: a.typeEdges === 'include' ? 'exclude' : 'include',
      cycles: a.sccsOtherMode.length,
      modulesInCycles: a.sccsOtherMode.reduce((sum, c) => sum + c.length, 0),
    },
    workspaces: { enabled: a.workspaces, packages: a.workspacePackages, edges: counts.workspace },
    nonModuleImports: a.graph.outside,
    parseErrors: a.graph.parseErrors,
    planned: a.planned,
    configProblems: a.configProblems,
    stats: { ...a.parse, resolutionsReused: a.resolutionsReused, timingsMs: a.timingsMs },
  };
}
