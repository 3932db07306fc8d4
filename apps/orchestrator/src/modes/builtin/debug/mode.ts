import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import { defineMode, type Finding, type ModeEngine } from '@sparc/batch-core';
import { z } from 'zod';
import { discoverSuites } from './discover';
import { planRun, readRun, type PlannedRun } from './runners';
import type { RunnerContext, Suite, SuiteReport, TestFailure } from './types';

const failureSchema = z.object({
  suite: z.string(),
  test: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  message: z.string(),
  verdict: z.enum(['failing', 'flaky']),
});

const dataSchema = z.object({
  suites: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['jest', 'node-test', 'script']),
      cwd: z.string(),
      status: z.enum(['passed', 'failed', 'flaky', 'crashed']),
      passed: z.number().int(),
      failed: z.number().int(),
      todo: z.number().int(),
      skipped: z.number().int(),
      durationMs: z.number(),
      rerun: z.array(z.string()),
      crashed: z.string().optional(),
    }),
  ),
  failures: z.array(failureSchema),
});

type DebugData = z.output<typeof dataSchema>;

function key(f: TestFailure): string {
  return `${f.rerunFile ?? ''}::${f.test ?? '(file)'}`;
}

async function runAll(runs: PlannedRun[], ctx: RunnerContext, engine: ModeEngine, signal: AbortSignal) {
  if (runs.length === 0) return new Map<PlannedRun, { report: SuiteReport; durationMs: number }>();
  const batch = await engine.run({ operations: runs.map((r) => r.operation), concurrency: runs.length, label: 'debug:suites' }, { signal });
  const out = new Map<PlannedRun, { report: SuiteReport; durationMs: number }>();
  await Promise.all(
    runs.map(async (run) => {
      const result = batch.results.find((r) => r.id === run.operation.id);
      const report = await readRun(run, ctx, result?.status ?? 'failed', result?.error ? [result.error.message, String(result.error.details?.stderrTail ?? '').trim()].filter(Boolean).join('\n') : undefined);
      out.set(run, { report, durationMs: result?.durationMs ?? 0 });
    }),
  );
  return out;
}

/**
 * `debug`: runs the workspace's test suites side by side, maps each failure to file:line, then
 * reruns only the files that failed: a test that passes on the rerun is flaky, one that fails
 * again is failing.
 */
export const debugMode = defineMode({
  name: 'debug',
  summary: 'Run the test suites, map failures to file:line, rerun failed files to tell flaky from failing',
  options: z.object({
    suites: z.array(z.string()).default([]).describe('Only the suites with these names (default: every suite found)'),
    rerun: z.boolean().default(true).describe('Rerun the failed files once to tell flaky tests from failing ones'),
    timeoutMs: z.number().int().positive().default(600_000).describe('Time limit per suite run'),
  }),
  data: dataSchema,
  async run(ctx, options) {
    const found = await discoverSuites(ctx.workspace.root, ctx.engine, ctx.signal);
    const suites: Suite[] = options.suites.length > 0 ? found.filter((s) => options.suites.includes(s.name)) : found;
    if (suites.length === 0) {
      const message = found.length === 0 ? 'no test suites found (no jest config, no package.json test script)' : `no suite named ${options.suites.join(', ')} (found: ${found.map((s) => s.name).join(', ')})`;
      return { status: 'warning', summary: message, findings: [{ severity: 'warning', rule: 'debug.no-suites', message }], data: { suites: [], failures: [] }, artifacts: [] };
    }
    await fsp.mkdir(ctx.artifacts.dir, { recursive: true });
    const runner: RunnerContext = {
      root: ctx.workspace.root,
      outDir: ctx.artifacts.dir,
      maxWorkers: Math.max(1, Math.floor(os.availableParallelism() / suites.length)),
      timeoutMs: options.timeoutMs,
    };
    const findings: Finding[] = [];
    const firstRuns: PlannedRun[] = [];
    for (const suite of suites) {
      const planned = await planRun(suite, 1, runner);
      if ('error' in planned) findings.push({ severity: 'error', rule: 'debug.suite-crashed', message: `${suite.name}: ${planned.error}` });
      else firstRuns.push(planned);
    }
    ctx.progress(`running ${firstRuns.length} suite(s): ${firstRuns.map((r) => r.suite.name).join(', ')}`);
    const first = await runAll(firstRuns, runner, ctx.engine, ctx.signal);

    // Second chance: only the files that failed (the whole suite for a script or a crash).
    const reruns: PlannedRun[] = [];
    if (options.rerun && !ctx.signal.aborted) {
      for (const [run, { report }] of first) {
        if (report.failures.length === 0 && !report.crashed) continue;
        const files = report.crashed || run.suite.kind === 'script' ? undefined : [...new Set(report.failures.map((f) => f.rerunFile).filter((f): f is string => f !== undefined))];
        const planned = await planRun(run.suite, 2, runner, files && files.length > 0 ? files : undefined);
        if (!('error' in planned)) reruns.push(planned);
      }
      if (reruns.length > 0) ctx.progress(`rerunning ${reruns.length} suite(s) with failures`);
    }
    const second = await runAll(reruns, runner, ctx.engine, ctx.signal);

    const data: DebugData = { suites: [], failures: [] };
    // In discovery order, whatever order the runs finished in.
    for (const run of firstRuns) {
      const { report, durationMs } = first.get(run) as { report: SuiteReport; durationMs: number };
      const rerun = reruns.find((r) => r.suite === run.suite);
      const again = rerun ? second.get(rerun)?.report : undefined;
      const stillFailing = new Set((again?.failures ?? []).map(key));
      const rerunCovers = (f: TestFailure) => rerun !== undefined && again !== undefined && !again.crashed && (rerun.files === undefined || (f.rerunFile !== undefined && rerun.files.includes(f.rerunFile)));
      let flaky = 0;
      for (const failure of report.failures) {
        const verdict = rerunCovers(failure) && !stillFailing.has(key(failure)) && (run.suite.kind !== 'script' || again?.failed === 0) ? 'flaky' : 'failing';
        if (verdict === 'flaky') flaky++;
        const { rerunFile: _rerun, ...rest } = failure;
        data.failures.push({ ...rest, verdict });
        const where = failure.test ? `${failure.test}: ` : '';
        findings.push({
          severity: verdict === 'flaky' ? 'warning' : 'error',
          rule: verdict === 'flaky' ? 'debug.flaky-test' : failure.test ? 'debug.failing-test' : run.suite.kind === 'script' ? 'debug.suite-failed' : 'debug.test-file-error',
          message: `${run.suite.name}: ${where}${failure.message}${verdict === 'flaky' ? ' (passed when rerun)' : rerun ? ' (failed again when rerun)' : ''}`,
          ...(failure.file ? { file: failure.file } : {}),
          ...(failure.line !== undefined ? { line: failure.line } : {}),
        });
      }
      const crashedFor = report.crashed && (!again || again.crashed) ? report.crashed : undefined;
      if (crashedFor) findings.push({ severity: 'error', rule: 'debug.suite-crashed', message: `${run.suite.name}: the suite did not run: ${crashedFor}` });
      const status = crashedFor ? 'crashed' : report.failures.length === 0 ? 'passed' : flaky === report.failures.length ? 'flaky' : 'failed';
      data.suites.push({
        name: run.suite.name,
        kind: run.suite.kind,
        cwd: run.suite.cwd,
        status,
        passed: report.passed,
        failed: report.failed,
        todo: report.todo,
        skipped: report.skipped,
        durationMs: Math.round(durationMs),
        rerun: rerun?.files?.map((f) => ctx.workspace.relative(f)) ?? (rerun ? ['(whole suite)'] : []),
        ...(crashedFor ? { crashed: crashedFor } : {}),
      });
    }
    const report = await ctx.artifacts.write('debug.json', `${JSON.stringify(data, null, 2)}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const totals = data.suites.reduce((t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, todo: t.todo + s.todo }), { passed: 0, failed: 0, todo: 0 });
    const flakyCount = data.failures.filter((f) => f.verdict === 'flaky').length;
    return {
      status: errors > 0 ? 'failed' : findings.length > 0 ? 'warning' : 'passed',
      summary: `${data.suites.length} suite(s): ${totals.passed} passed, ${totals.failed} failed (${flakyCount} flaky), ${totals.todo} todo`,
      findings,
      data,
      artifacts: [report],
    };
  },
});
