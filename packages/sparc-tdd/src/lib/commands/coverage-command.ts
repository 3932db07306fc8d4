import { defineCommand, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { z } from 'zod';
import { analyzeCoverage, readCoverageFiles, runWithCoverage } from '../coverage/coverage';
import { METRICS, summarizeFinal } from '../coverage/istanbul';
import { runFindings } from './run-command';
import { selectSuites } from './select-suites';
import { suiteOptionsShape } from './shared-options';

export const coverageOptions = z.object({
  summary: z.string().min(1).default('coverage/coverage-summary.json').describe('istanbul json-summary report to read'),
  final: z.string().min(1).default('coverage/coverage-final.json').describe('istanbul json report (never-called functions)'),
  run: z.boolean().default(false).describe('Run the suites with coverage instead of reading existing reports'),
  metric: z.enum(METRICS).default('lines').describe('Metric that ranks modules and is held to --min'),
  top: z.number().int().min(1).max(10_000).default(10).describe('How many of the weakest modules to list'),
  min: z.number().min(0).max(100).optional().describe('A finding for each module whose coverage is below this percentage'),
  ...suiteOptionsShape,
});
export type CoverageCommandOptions = z.output<typeof coverageOptions>;

const metric = z.object({ total: z.number(), covered: z.number(), pct: z.number().nullable() });
const fileSummary = z.object({ lines: metric, statements: metric, functions: metric, branches: metric });

export const coverageData = z
  .object({
    source: z.string(),
    metric: z.enum(METRICS),
    total: fileSummary,
    modules: z.number().int(),
    weakest: z.array(fileSummary.extend({ file: z.string(), pct: z.number().nullable(), uncovered: z.number() })),
    neverCalled: z.array(z.object({ file: z.string(), name: z.string(), line: z.number().int() })),
    neverCalledCount: z.number().int(),
    belowMin: z.array(z.object({ file: z.string(), pct: z.number() })),
    min: z.number().optional(),
  });
export type CoverageData = z.output<typeof coverageData>;

export async function runCoverage(ctx: ModeContext, options: CoverageCommandOptions): Promise<ModeResult<CoverageData>> {
  const analysisOptions = { summary: options.summary, final: options.final, metric: options.metric, top: options.top, min: options.min };
  const extraFindings: Finding[] = [];
  const artifacts: string[] = [];
  let input: Parameters<typeof analyzeCoverage>[1];
  if (options.run) {
    const { suites, from } = await selectSuites(ctx.workspace, options);
    const { run, final } = await runWithCoverage(ctx, suites, { concurrency: options.concurrency, timeoutMs: options.timeoutMs });
    extraFindings.push(...runFindings(run));
    artifacts.push(...run.suites.flatMap((s) => (s.report ? [s.report] : [])));
    input = { summaries: new Map([...final].map(([file, data]) => [file, summarizeFinal(data)])), final, source: `${suites.length} suite(s) from ${from}, run with coverage` };
  } else {
    input = await readCoverageFiles(ctx.workspace, options);
  }
  const { report, findings } = analyzeCoverage(ctx.workspace.root, input, analysisOptions);
  artifacts.unshift(await ctx.artifacts.write('coverage.json', `${JSON.stringify(report, null, 2)}\n`));
  const total = report.total[options.metric];
  const weakest = report.weakest[0];
  const summary =
    `${options.metric} ${total.pct ?? 'n/a'}% over ${report.modules} module(s)` +
    `${weakest ? `; weakest ${weakest.file} (${weakest.pct}%, ${weakest.uncovered} uncovered)` : ''}` +
    `; ${report.neverCalledCount} function(s) never called` +
    `${options.min !== undefined ? `; ${report.belowMin.length} module(s) below ${options.min}%` : ''}`;
  const allFindings = [...extraFindings, ...findings];
  const status = allFindings.some((f) => f.severity === 'error') ? 'failed' : 'passed';
  return { status, summary, findings: allFindings, data: report, artifacts };
}

export const coverageCommand = defineCommand({
  summary: 'Weakest modules by uncovered size, never-called functions, and --min per module (reads istanbul reports or --run)',
  options: coverageOptions,
  data: coverageData,
  run: runCoverage,
});
