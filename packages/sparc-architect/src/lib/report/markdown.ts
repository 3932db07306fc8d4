import type { ArchitectureAnalysis } from '../analyze';
import type { ArchitectData } from '../data';
import { importLine } from '../graph/build-graph';
import { componentDiagram, cycleDiagram } from './mermaid';

/** Rows shown in long lists before "... and N more". */
const LIST_LIMIT = 50;

function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: Array<Array<string | number>>): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

function more(total: number, shown: number): string[] {
  return total > shown ? [``, `… and ${total - shown} more (see graph.json).`] : [];
}

/** The report a person reads: summary, cycles with the import lines that close them, components, rules. */
export function renderMarkdown(a: ArchitectureAnalysis, data: ArchitectData): string {
  const names = a.graph.modules;
  const out: string[] = ['# Architecture report', ''];
  const modulesInCycles = data.cycles.reduce((sum, c) => sum + c.length, 0);
  out.push(
    ...table(
      ['what', 'count'],
      [
        ['modules', data.modules],
        [`edges (${data.typeEdges === 'exclude' ? 'run-time imports' : 'all imports, type-only included'})`, data.edges],
        ['type-only edges', `${data.typeOnlyEdges} (${data.typeEdges === 'exclude' ? 'excluded' : 'included'})`],
        ['import cycles (strongly connected components)', data.cycles.length],
        ['modules in cycles', modulesInCycles],
        ['elementary cycles', `${data.cycleCount.count}${data.cycleCount.complete ? '' : '+ (counting stopped at its limit)'}`],
        ['components', data.components.length],
        ['orphans (imported by no module)', data.orphans.length],
        ['unresolved imports', data.unresolved.length],
        ['external packages', data.external.length],
        ['rule violations', data.violations.length],
        ['files that did not parse', data.parseErrors.length],
      ],
    ),
    '',
  );
  out.push(
    data.typeEdges === 'exclude'
      ? `Type-only imports are left out (\`--type-edges exclude\`, the default): \`import type\`, \`type\` specifiers and imports whose bindings are used only as types are dropped by TypeScript when it compiles, so they cannot form a cycle at run time. With them included there ${data.otherTypeEdges.cycles === 1 ? 'is 1 cycle' : `are ${data.otherTypeEdges.cycles} cycles`} over ${data.otherTypeEdges.modulesInCycles} modules.`
      : `Type-only imports are included (\`--type-edges include\`). Without them (what runs) there ${data.otherTypeEdges.cycles === 1 ? 'is 1 cycle' : `are ${data.otherTypeEdges.cycles} cycles`} over ${data.otherTypeEdges.modulesInCycles} modules.`,
    '',
  );
  if (data.workspaces.enabled && data.workspaces.packages > 0) {
    out.push(`Workspace packages: ${data.workspaces.packages}; ${data.workspaces.edges} edges were found by mapping package imports to their sources.`, '');
  }

  out.push('## Cycles', '');
  if (a.sccs.length === 0) out.push('No import cycles.', '');
  a.sccs.slice(0, LIST_LIMIT).forEach((component, i) => {
    out.push(`### Cycle ${i + 1}: ${component.length} module${component.length === 1 ? '' : 's'}`, '');
    const example = a.examples.find((cycle) => component.includes(cycle[0]));
    if (example) {
      out.push('Shortest cycle through its first module, with the import that makes each step:', '');
      example.forEach((v, k) => {
        if (k >= LIST_LIMIT && k < example.length - 1) return;
        if (k === example.length - 1 && example.length > LIST_LIMIT + 1) out.push(`- … ${example.length - LIST_LIMIT - 1} more steps`);
        const w = example[(k + 1) % example.length];
        out.push(`- \`${names[v]}\`:${importLine(a.graph, a.adj, v, w) ?? '?'} imports \`${names[w]}\``);
      });
      out.push('');
    }
    if (component.length > 1) {
      const shown = component.slice(0, LIST_LIMIT);
      out.push(`Modules: ${shown.map((v) => `\`${names[v]}\``).join(', ')}${component.length > shown.length ? `, … (${component.length - shown.length} more)` : ''}`, '');
    }
  });
  if (a.examples.length > 0) {
    out.push('```mermaid', cycleDiagram(a, a.examples[0]).trimEnd(), '```', '');
  }

  out.push('## Components', '');
  out.push(`A component is ${a.workspaces && data.workspaces.packages > 0 ? 'a workspace package, or else ' : ''}a folder at depth ${a.componentDepth}. Fan-in: modules outside that import it; fan-out: modules outside it imports; instability = fan-out / (fan-in + fan-out).`, '');
  const components = [...data.components].sort((x, y) => y.fanIn + y.fanOut - (x.fanIn + x.fanOut));
  out.push(...table(['component', 'modules', 'fan-in', 'fan-out', 'instability', 'in a cycle'], components.slice(0, LIST_LIMIT).map((c) => [c.name, c.modules, c.fanIn, c.fanOut, c.instability.toFixed(2), c.inCycle ? 'yes' : ''])), ...more(components.length, LIST_LIMIT), '');
  out.push('```mermaid', componentDiagram(a).trimEnd(), '```', '');

  out.push('## Most imported and most importing modules', '');
  const order = a.modules.map((m, v) => ({ v, m }));
  const byFanIn = [...order].sort((x, y) => y.m.fanIn - x.m.fanIn).slice(0, 10).filter((x) => x.m.fanIn > 0);
  const byFanOut = [...order].sort((x, y) => y.m.fanOut - x.m.fanOut).slice(0, 10).filter((x) => x.m.fanOut > 0);
  out.push(...table(['module', 'fan-in', 'fan-out', 'instability'], [...byFanIn, ...byFanOut.filter((x) => !byFanIn.includes(x))].map(({ v, m }) => [names[v], m.fanIn, m.fanOut, m.instability.toFixed(2)])), '');

  if (data.violations.length > 0) {
    out.push('## Rule violations', '');
    out.push(...table(['rule', 'severity', 'from', 'to'], data.violations.slice(0, LIST_LIMIT).map((v) => [v.rule, v.severity, `${v.from}:${v.line}`, v.to])), ...more(data.violations.length, LIST_LIMIT), '');
  }
  if (data.planned.length > 0) {
    out.push('## Planned modules (from the spec)', '');
    out.push(
      ...table(
        ['module', 'component', 'imports', 'cycle', 'rules'],
        data.planned.map((p) => [
          `${p.path}${p.exists ? '' : ' (new)'}`,
          p.component,
          p.imports.map((i) => `${i.import} → ${i.resolved ?? 'unresolved'}`).join(', '),
          p.createsCycle ? `would create ${(p.cycle ?? []).concat(p.path).join(' → ')}` : 'no',
          p.violations.length > 0 ? p.violations.map((v) => `${v.rule} (${v.severity})`).join(', ') : 'ok',
        ]),
      ),
      '',
    );
  }
  if (data.unresolved.length > 0) {
    out.push('## Unresolved imports', '');
    out.push(...data.unresolved.slice(0, LIST_LIMIT).map((u) => `- \`${u.from}\`:${u.line} \`${u.specifier}\``), ...more(data.unresolved.length, LIST_LIMIT), '');
  }
  if (data.external.length > 0) {
    out.push('## External packages', '');
    out.push(...table(['package', 'imports'], data.external.slice(0, 20).map((e) => [e.name, e.imports])), ...more(data.external.length, 20), '');
  }
  if (data.parseErrors.length > 0) {
    out.push('## Files that did not parse', '', 'Their imports are missing from the graph; the rest of the analysis went on.', '');
    out.push(...data.parseErrors.map((e) => `- \`${e.file}\`:${e.line} ${e.message}`), '');
  }
  if (data.orphans.length > 0) {
    out.push('## Orphans', '', 'Modules no other module imports: entry points, scripts and tests, or dead code.', '');
    out.push(...data.orphans.slice(0, LIST_LIMIT).map((o) => `- \`${o}\``), ...more(data.orphans.length, LIST_LIMIT), '');
  }
  if (data.configProblems.length > 0) {
    out.push('## Configuration problems', '', ...data.configProblems.map((p) => `- ${p}`), '');
  }
  const s = data.stats;
  out.push(
    '## How this was measured',
    '',
    `${s.files} files (${(s.bytes / 1024).toFixed(0)} KiB): ${s.cached} from the cache, ${s.parsedInline} parsed on the main thread, ${s.parsedInPool} in the worker pool in ${s.chunks} chunks; ${s.oxcFallbacks} handed to oxc-parser. Discover ${s.timingsMs.discover} ms, parse ${s.timingsMs.parse} ms, resolve ${s.timingsMs.resolve} ms, analyse ${s.timingsMs.analyse} ms.`,
    '',
  );
  return `${out.join('\n')}\n`;
}

