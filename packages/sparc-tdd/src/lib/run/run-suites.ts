import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModeContext, OperationResult } from '@sparc/batch-core';
import { resolveJest } from './jest-binary';
import { firstMessage, relativeTo, summarizeJestReport, type CrashedFile, type TestFailure } from './jest-report';
import { describeSuite, type Suite } from './suites';

export type RunContext = Pick<ModeContext, 'workspace' | 'engine' | 'signal' | 'progress' | 'artifacts'>;

export type SuiteStatus = 'passed' | 'failed' | 'crashed' | 'no-tests';

export interface SuiteResult {
  name: string;
  command: string;
  status: SuiteStatus;
  /** False for command suites judged by exit code only: their counts are unknown, not zero. */
  counted: boolean;
  passed: number;
  failed: number;
  todo: number;
  skipped: number;
  total: number;
  files: number;
  /** Wall time of the suite's process, measured by the engine. */
  durationMs: number;
  maxWorkers?: number;
  failures: TestFailure[];
  crashedFiles: CrashedFile[];
  /** Why the suite crashed, when it did. */
  crash?: string;
  /** Workspace-relative path of jest's JSON report. */
  report?: string;
}

export interface RunTotals {
  suites: number;
  passed: number;
  failed: number;
  todo: number;
  skipped: number;
  failedSuites: number;
  crashedSuites: number;
  /** Wall time of the whole concurrent run. */
  wallMs: number;
  /** Sum of the suites' own durations: what running them one after another would roughly take. */
  sumMs: number;
}

export interface RunReport {
  suites: SuiteResult[];
  totals: RunTotals;
}

export interface RunSuitesOptions {
  /** Suites run at once. */
  concurrency: number;
  timeoutMs: number;
  /** Extra jest arguments per suite (coverage flags, a test path). */
  extraArgs?: (suite: Suite) => string[];
  label?: string;
}

/** Most output of a suite's process kept in memory; the JSON report goes to a file. */
const MAX_OUTPUT_BYTES = 256 * 1024;

/** Cores each suite's jest may use: the machine split evenly between the suites running at once. */
export function workerShare(suites: number, concurrency: number, cores = os.availableParallelism()): number {
  const atOnce = Math.max(1, Math.min(suites, concurrency));
  return Math.max(1, Math.floor(cores / atOnce));
}

/**
 * Runs the suites concurrently as `exec` operations of one batch (jest with `--json --outputFile`
 * and `--maxWorkers` capped to its share of the cores) and reads every report back.
 */
export async function runSuites(ctx: RunContext, suites: Suite[], options: RunSuitesOptions): Promise<RunReport> {
  const reportDir = path.join(ctx.artifacts.dir, 'jest');
  await fsp.mkdir(reportDir, { recursive: true });
  const maxWorkers = workerShare(suites.length, options.concurrency);
  const planned = suites.map((suite, index) => planSuite(ctx, suite, index, reportDir, maxWorkers, options));
  const operations = planned.flatMap((p) => (p.operation ? [p.operation] : []));
  ctx.progress(`running ${operations.length} suite(s), ${Math.min(operations.length, options.concurrency)} at a time, --maxWorkers=${maxWorkers}`);
  const batch =
    operations.length > 0
      ? await ctx.engine.run({ label: options.label ?? 'tdd run', concurrency: options.concurrency, operations }, { signal: ctx.signal })
      : undefined;
  const byId = new Map((batch?.results ?? []).map((r) => [r.id, r]));
  const toRelative = relativeTo(ctx.workspace.root);
  const results = await Promise.all(planned.map((p) => collectResult(p, p.operation ? byId.get(p.operation.id) : undefined, toRelative, ctx)));
  return {
    suites: results,
    totals: {
      suites: results.length,
      passed: sum(results, 'passed'),
      failed: sum(results, 'failed'),
      todo: sum(results, 'todo'),
      skipped: sum(results, 'skipped'),
      failedSuites: results.filter((r) => r.status === 'failed').length,
      crashedSuites: results.filter((r) => r.status === 'crashed').length,
      wallMs: batch?.metrics.wallMs ?? 0,
      sumMs: batch?.metrics.sumOpMs ?? 0,
    },
  };
}

interface PlannedSuite {
  suite: Suite;
  command: string;
  operation?: { id: string; type: 'exec'; params: Record<string, unknown>; timeoutMs: number };
  reportFile?: string;
  maxWorkers?: number;
  /** Set when the suite cannot start at all (no jest to run it). */
  unrunnable?: string;
}

function planSuite(ctx: RunContext, suite: Suite, index: number, reportDir: string, maxWorkers: number, options: RunSuitesOptions): PlannedSuite {
  const id = `suite-${index}-${suite.name}`;
  const command = describeSuite(suite);
  const env = { FORCE_COLOR: '0', CI: 'true' };
  if (suite.kind === 'command') {
    return { suite, command, operation: { id, type: 'exec', params: { command: suite.command, shell: true, cwd: suite.cwd, env, maxOutputBytes: MAX_OUTPUT_BYTES }, timeoutMs: options.timeoutMs } };
  }
  const jest = resolveJest(ctx.workspace.root, suite.cwd);
  if (jest === undefined) return { suite, command, unrunnable: `jest is not installed where ${suite.cwd || 'the workspace root'} can load it` };
  const reportFile = path.join(reportDir, `${String(index).padStart(2, '0')}-${suite.name}.json`);
  const args = [
    jest,
    ...(suite.config ? ['--config', suite.config] : []),
    '--json',
    `--outputFile=${reportFile}`,
    `--maxWorkers=${maxWorkers}`,
    // Failing tests are the report's business; a non-zero exit then means jest itself broke.
    '--testFailureExitCode=0',
    '--testLocationInResults',
    '--ci',
    ...suite.args,
    ...(options.extraArgs?.(suite) ?? []),
  ];
  return {
    suite,
    command,
    reportFile,
    maxWorkers,
    operation: { id, type: 'exec', params: { command: process.execPath, args, cwd: suite.cwd, env, maxOutputBytes: MAX_OUTPUT_BYTES }, timeoutMs: options.timeoutMs },
  };
}

async function collectResult(planned: PlannedSuite, op: OperationResult | undefined, toRelative: (abs: string) => string, ctx: RunContext): Promise<SuiteResult> {
  const { suite } = planned;
  const base: SuiteResult = {
    name: suite.name,
    command: planned.command,
    status: 'crashed',
    counted: suite.kind === 'jest',
    passed: 0,
    failed: 0,
    todo: 0,
    skipped: 0,
    total: 0,
    files: 0,
    durationMs: op?.durationMs ?? 0,
    ...(planned.maxWorkers !== undefined ? { maxWorkers: planned.maxWorkers } : {}),
    failures: [],
    crashedFiles: [],
  };
  if (planned.unrunnable !== undefined) return { ...base, crash: planned.unrunnable };
  if (op === undefined) return { ...base, crash: 'the suite did not run' };
  if (suite.kind === 'command') {
    if (op.status === 'succeeded') return { ...base, status: 'passed' };
    return { ...base, status: op.status === 'failed' && op.error?.code === 'EXEC_FAILED' ? 'failed' : 'crashed', crash: processProblem(op) };
  }
  if (op.status === 'timed-out' || op.status === 'cancelled') return { ...base, crash: processProblem(op) };
  let report: unknown;
  try {
    report = JSON.parse(await fsp.readFile(planned.reportFile as string, 'utf8'));
  } catch {
    return { ...base, crash: processProblem(op) || 'jest wrote no report' };
  }
  let summary;
  try {
    summary = summarizeJestReport(report, toRelative);
  } catch (error) {
    return { ...base, crash: `unreadable jest report: ${(error as Error).message}` };
  }
  const reportPath = ctx.workspace.relative(planned.reportFile as string);
  const result: SuiteResult = { ...base, ...summary, report: reportPath, status: 'passed' };
  if (summary.crashedFiles.length > 0) {
    result.status = 'crashed';
    result.crash = `${summary.crashedFiles.length} test file(s) failed to run: ${summary.crashedFiles.map((c) => `${c.file}: ${c.message}`).join('; ')}`;
  } else if (op.status !== 'succeeded') {
    result.status = summary.files === 0 ? 'no-tests' : 'crashed';
    result.crash = processProblem(op);
  } else if (summary.failed > 0) {
    result.status = 'failed';
  } else if (summary.files === 0) {
    result.status = 'no-tests';
  }
  return result;
}

/** What went wrong with a suite's process: the engine's error and the end of its stderr. */
function processProblem(op: OperationResult): string {
  if (op.status === 'succeeded') return '';
  const details = op.error?.details as { stderrTail?: unknown; exitCode?: unknown; signal?: unknown } | undefined;
  const stderr = typeof details?.stderrTail === 'string' ? firstMessage(details.stderrTail) : '';
  const reason =
    typeof details?.exitCode === 'number' ? `exited with code ${details.exitCode}` : typeof details?.signal === 'string' ? `killed by ${details.signal}` : (op.error?.message ?? op.status);
  return stderr && stderr !== 'failed without a message' ? `${reason}: ${stderr}` : reason;
}

function sum(results: SuiteResult[], key: 'passed' | 'failed' | 'todo' | 'skipped'): number {
  return results.reduce((total, r) => total + r[key], 0);
}
