import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ModeContext, ModeResult, ModeStatus } from '@sparc/batch-core';
import { analyzeArchitecture, edgeCounts } from './analyze';
import type { ArchitectData } from './data';
import { ArchitectError } from './errors';
import { buildFindings, cacheFindings } from './findings';
import type { ArchitectOptions } from './options';
import { loadRules } from './rules/rules';
import { toData } from './to-data';

/**
 * What `sparc architect` does once its options are valid: analyse, write the artifacts, report.
 * Needs no schema (the mode runner validates options and data), so the standalone CLI loads it
 * without zod.
 */
export async function architectRun(ctx: ModeContext, options: ArchitectOptions): Promise<ModeResult<ArchitectData>> {
  const root = ctx.workspace.root;
  if (options.tsconfig !== undefined && !existsSync(path.resolve(root, options.tsconfig))) {
    throw new ArchitectError('TSCONFIG_INVALID', `--tsconfig ${options.tsconfig} does not exist under ${root}`);
  }
  const rules = options.rules !== undefined ? await loadRules(root, options.rules) : { forbidden: [] };
  const analysis = await analyzeArchitecture(
    {
      root,
      src: options.src,
      include: options.include,
      exclude: options.exclude,
      tsconfig: options.tsconfig,
      typeEdges: options.typeEdges,
      workspaces: options.workspaces,
      cache: options.cache,
      componentDepth: options.componentDepth,
      rules,
      parser: options.parser,
      gitignore: options.gitignore,
      planned: ctx.spec?.targets.modules,
    },
    { pool: () => ctx.pool(), signal: ctx.signal, progress: ctx.progress },
  );
  const data = toData(analysis);
  const findings = buildFindings(analysis, data, options);

  const artifacts: string[] = [];
  const formats = new Set(options.format);
  // Each format's writer loads only when the format is asked for.
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (formats.has('md')) {
    const { renderMarkdown } = require('./report/markdown') as typeof import('./report/markdown');
    artifacts.push(await ctx.artifacts.write('report.md', renderMarkdown(analysis, data)));
  }
  if (formats.has('mermaid')) {
    const { componentDiagram, cycleDiagram } = require('./report/mermaid') as typeof import('./report/mermaid');
    artifacts.push(await ctx.artifacts.write('components.mmd', componentDiagram(analysis)));
    if (analysis.examples.length > 0) artifacts.push(await ctx.artifacts.write('cycle.mmd', cycleDiagram(analysis, analysis.examples[0])));
  }
  if (formats.has('dot')) {
    const { moduleDot } = require('./report/dot') as typeof import('./report/dot');
    artifacts.push(await ctx.artifacts.write('modules.dot', moduleDot(analysis)));
  }
  if (formats.has('json')) {
    const { graphJson } = require('./report/graph-json') as typeof import('./report/graph-json');
    artifacts.push(await ctx.artifacts.write('graph.json', graphJson(analysis, data)));
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  // After the reports: writing graph.json also writes a cache.
  findings.push(...cacheFindings(analysis));

  const status: ModeStatus = findings.some((f) => f.severity === 'error') ? 'failed' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'passed';
  const inCycles = data.cycles.reduce((sum, c) => sum + c.length, 0);
  const counts = edgeCounts(analysis.graph);
  const summary =
    `${data.modules} modules, ${data.edges} ${data.typeEdges === 'exclude' ? 'run-time ' : ''}edges (${counts.typeOnly} type-only ${data.typeEdges === 'exclude' ? 'left out' : 'included'}), ` +
    `${data.cycles.length} cycle${data.cycles.length === 1 ? '' : 's'}${data.cycles.length > 0 ? ` over ${inCycles} modules` : ''}, ${data.violations.length} rule violation${data.violations.length === 1 ? '' : 's'}, ` +
    `${data.unresolved.length} unresolved import${data.unresolved.length === 1 ? '' : 's'}`;
  return { status, summary, findings, data, artifacts };
}
