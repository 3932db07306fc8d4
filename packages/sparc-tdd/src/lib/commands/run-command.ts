import { defineCommand, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { z } from 'zod';
import { runSuites, type RunReport } from '../run/run-suites';
import { selectSuites } from './select-suites';
import { suiteOptionsShape } from './shared-options';

export const runOptions = z.object(suiteOptionsShape);
export type RunOptions = z.output<typeof runOptions>;

const failure = z.object({ file: z.string(), line: z.number().int().optional(), test: z.string(), message: z.string(), assertion: z.boolean() });

export const runData = z
  .object({
    suites: z.array(
      z
        .object({
          name: z.string(),
          command: z.string(),
          status: z.enum(['passed', 'failed', 'crashed', 'no-tests']),
          counted: z.boolean(),
          passed: z.number().int(),
          failed: z.number().int(),
          todo: z.number().int(),
          skipped: z.number().int(),
          total: z.number().int(),
          files: z.number().int(),
          durationMs: z.number(),
          maxWorkers: z.number().int().optional(),
          failures: z.array(failure),
          crashedFiles: z.array(z.object({ file: z.string(), message: z.string() })),
          crash: z.string().optional(),
          report: z.string().optional(),
        }),
    ),
    totals: z
      .object({
        suites: z.number().int(),
        passed: z.number().int(),
        failed: z.number().int(),
        todo: z.number().int(),
        skipped: z.number().int(),
        failedSuites: z.number().int(),
        crashedSuites: z.number().int(),
        wallMs: z.number(),
        sumMs: z.number(),
      }),
    from: z.string(),
  });
export type RunData = z.output<typeof runData>;

const MAX_FAILURE_FINDINGS = 200;

/** Findings for what went wrong in a run: crashed suites and files first, then each failing test. */
export function runFindings(report: RunReport): Finding[] {
  const findings: Finding[] = [];
  for (const suite of report.suites) {
    if (suite.status === 'crashed') {
      if (suite.crashedFiles.length === 0) findings.push({ severity: 'error', rule: 'tdd.suite-crashed', message: `suite ${suite.name} crashed before running its tests: ${suite.crash ?? 'no report'}` });
      for (const file of suite.crashedFiles) findings.push({ severity: 'error', rule: 'tdd.suite-crashed', message: `suite ${suite.name}: ${file.file} failed to run: ${file.message}`, file: file.file });
    } else if (suite.status === 'no-tests') {
      findings.push({ severity: 'warning', rule: 'tdd.no-tests', message: `suite ${suite.name} found no tests${suite.crash ? `: ${suite.crash}` : ''}` });
    } else if (suite.status === 'failed' && !suite.counted) {
      findings.push({ severity: 'error', rule: 'tdd.suite-failed', message: `suite ${suite.name} failed: ${suite.crash ?? 'non-zero exit'}` });
    }
  }
  for (const suite of report.suites) {
    for (const f of suite.failures) {
      if (findings.length >= MAX_FAILURE_FINDINGS) return findings;
      findings.push({ severity: 'error', rule: 'tdd.test-failed', message: `${suite.name}: ${f.test}: ${f.message}`, file: f.file, ...(f.line !== undefined ? { line: f.line } : {}) });
    }
  }
  return findings;
}

export async function runRun(ctx: ModeContext, options: RunOptions): Promise<ModeResult<RunData>> {
  const { suites, from } = await selectSuites(ctx.workspace, options);
  const report = await runSuites(ctx, suites, { concurrency: options.concurrency, timeoutMs: options.timeoutMs });
  const data = { ...report, from };
  const artifact = await ctx.artifacts.write('run.json', `${JSON.stringify(data, null, 2)}\n`);
  const reports = report.suites.flatMap((s) => (s.report ? [s.report] : []));
  const t = report.totals;
  const bad = t.failedSuites + t.crashedSuites;
  const summary =
    `${t.suites} suite(s) from ${from}: ${t.passed} passed, ${t.failed} failed, ${t.todo} todo` +
    `${t.crashedSuites > 0 ? `, ${t.crashedSuites} suite(s) crashed` : ''} in ${Math.round(t.wallMs)} ms (suites' own time ${Math.round(t.sumMs)} ms)`;
  const status = bad > 0 ? 'failed' : report.suites.some((s) => s.status === 'no-tests') ? 'warning' : 'passed';
  return { status, summary, findings: runFindings(report), data, artifacts: [artifact, ...reports] };
}

export const runCommand = defineCommand({
  summary: 'Run the test suites concurrently (jest --json, workers capped per suite) and aggregate the results',
  options: runOptions,
  data: runData,
  run: runRun,
});
