import type { Finding } from '@sparc/batch-core';
import type { ArchitectureAnalysis } from './analyze';
import type { ArchitectData } from './data';
import { CACHE_DIR } from './cache-dir';
import { importLine } from './graph/build-graph';

export const ARCHITECT_RULES = {
  cycle: 'architect.cycle',
  forbidden: 'architect.forbidden',
  parseError: 'architect.parse-error',
  plannedCycle: 'architect.planned-cycle',
  plannedForbidden: 'architect.planned-forbidden',
  config: 'architect.config',
  cache: 'architect.cache',
} as const;

/** One finding per cycle (at the import that starts its example), rule violation, file that did not parse, and planned-module problem. */
export function buildFindings(a: ArchitectureAnalysis, data: ArchitectData, options: { failOnCycles: boolean }): Finding[] {
  const names = a.graph.modules;
  const findings: Finding[] = [];
  const cycleSeverity = options.failOnCycles ? 'error' : 'warning';
  for (const component of a.sccs) {
    const example = a.examples.find((cycle) => component.includes(cycle[0])) ?? [component[0]];
    const path = describeCycle(example.map((v) => names[v]));
    const line = importLine(a.graph, a.adj, example[0], example[1 % example.length]);
    findings.push({
      severity: cycleSeverity,
      rule: ARCHITECT_RULES.cycle,
      message: `import cycle of ${component.length} module${component.length === 1 ? '' : 's'}: ${path}`,
      file: names[example[0]],
      ...(line !== undefined ? { line } : {}),
    });
  }
  for (const v of data.violations) {
    findings.push({ severity: v.severity, rule: `${ARCHITECT_RULES.forbidden}.${v.rule}`, message: `${v.from} must not import ${v.to} (rule "${v.rule}")${v.comment ? `: ${v.comment}` : ''}`, file: v.from, line: v.line });
  }
  for (const e of data.parseErrors) {
    findings.push({ severity: 'warning', rule: ARCHITECT_RULES.parseError, message: `${e.file} does not parse (${e.message}); its imports are missing from the graph`, file: e.file, ...(e.line > 0 ? { line: e.line } : {}) });
  }
  for (const p of data.planned) {
    if (p.createsCycle) {
      findings.push({ severity: cycleSeverity, rule: ARCHITECT_RULES.plannedCycle, message: `planned module ${p.path} would create an import cycle: ${describeCycle(p.cycle ?? [p.path])}`, file: p.path });
    }
    for (const v of p.violations) {
      findings.push({ severity: v.severity, rule: `${ARCHITECT_RULES.plannedForbidden}.${v.rule}`, message: `planned module ${p.path} would import ${v.to}, which rule "${v.rule}" forbids`, file: p.path });
    }
  }
  for (const problem of data.configProblems) findings.push({ severity: 'warning', rule: ARCHITECT_RULES.config, message: problem });
  return findings;
}

/**
 * A warning per reason the run could not write its caches (one cause, such as a full disk, usually
 * stops them all): the results stand, only the next run is slower.
 */
export function cacheFindings(a: ArchitectureAnalysis): Finding[] {
  const cachesByReason = new Map<string, string[]>();
  for (const { cache, reason } of a.cacheProblems) {
    const caches = cachesByReason.get(reason) ?? [];
    if (!caches.includes(cache)) caches.push(cache);
    cachesByReason.set(reason, caches);
  }
  return [...cachesByReason].map(([reason, caches]) => ({
    severity: 'warning',
    rule: ARCHITECT_RULES.cache,
    message: `the ${listed(caches)} cache${caches.length === 1 ? ' was' : 's were'} not written under ${CACHE_DIR}, so the next run cannot reuse ${caches.length === 1 ? 'it' : 'them'}: ${reason}`,
  }));
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Modules of a cycle shown in a message before the rest is elided. */
const CYCLE_MESSAGE_LIMIT = 12;

/** `a -> b -> c -> a`, with the middle of a long cycle elided. */
export function describeCycle(cycle: readonly string[]): string {
  const shown = cycle.length > CYCLE_MESSAGE_LIMIT ? [...cycle.slice(0, CYCLE_MESSAGE_LIMIT - 1), `… ${cycle.length - CYCLE_MESSAGE_LIMIT} more`, cycle[cycle.length - 1]] : [...cycle];
  return [...shown, cycle[0]].join(' -> ');
}
