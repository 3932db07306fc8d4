import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TddError } from '../errors';
import type { TestFailure } from '../run/jest-report';
import { firstMessage } from '../run/jest-report';
import { runSuites, type RunContext, type SuiteResult } from '../run/run-suites';
import type { Suite } from '../run/suites';

export type RedGreenVerdict = 'red-green' | 'not-red' | 'already-green' | 'implement-failed' | 'not-green';

export interface PhaseSummary {
  status: SuiteResult['status'];
  passed: number;
  failed: number;
  todo: number;
  /** Failed tests whose failure is an `expect` that did not hold. */
  assertionFailures: number;
  durationMs: number;
  failures: TestFailure[];
  crash?: string;
}

export interface RedGreenReport {
  test: string;
  verdict: RedGreenVerdict;
  /** Why the verdict is not `red-green`. */
  reason?: string;
  red: PhaseSummary;
  implement?: { command: string; exitCode: number | null; durationMs: number; output: string };
  green?: PhaseSummary;
}

export interface RedGreenOptions {
  test: string;
  implement: string;
  /** Folder jest runs in; by default the nearest folder above the test with a jest config. */
  cwd?: string;
  config?: string;
  timeoutMs: number;
}

const JEST_CONFIGS = ['jest.config.js', 'jest.config.cjs', 'jest.config.mjs', 'jest.config.ts', 'jest.config.json'];
const FAILURES_KEPT = 10;

/**
 * Test first, for real: the test must fail on assertions (a test that cannot even load is not red),
 * then `implement` runs, then the same test must pass.
 */
export async function redGreen(ctx: RunContext, options: RedGreenOptions): Promise<RedGreenReport> {
  const testAbs = await ctx.workspace.resolveReal(options.test);
  if (!(await fsp.stat(testAbs).catch(() => undefined))?.isFile()) throw new TddError('TDD_TEST_NOT_FOUND', `test file ${options.test} does not exist`);
  const test = ctx.workspace.relative(testAbs);
  const cwd = options.cwd !== undefined ? ctx.workspace.relative(await ctx.workspace.resolveReal(options.cwd)) : jestFolderOf(ctx.workspace.root, test);
  const suite = (name: string): Suite => ({ kind: 'jest', name, cwd, config: options.config, args: ['--runTestsByPath', testAbs], source: 'option' });
  const runPhase = async (name: string) => (await runSuites(ctx, [suite(name)], { concurrency: 1, timeoutMs: options.timeoutMs, label: `tdd red-green ${name}` })).suites[0];

  ctx.progress(`red: running ${test} before the implementation`);
  const red = summarize(await runPhase('red'));
  const notRed = whyNotRed(red);
  if (notRed) return { test, verdict: notRed.verdict, reason: notRed.reason, red };

  ctx.progress(`implementing: ${options.implement}`);
  const batch = await ctx.engine.run(
    { label: 'tdd red-green implement', operations: [{ id: 'implement', type: 'exec', params: { command: options.implement, shell: true, maxOutputBytes: 64 * 1024 }, timeoutMs: options.timeoutMs }] },
    { signal: ctx.signal },
  );
  const op = batch.results[0];
  const output = op.output as { exitCode?: number | null; stdout?: string; stderr?: string } | undefined;
  const details = op.error?.details as { exitCode?: number | null; stderrTail?: string } | undefined;
  const implement = {
    command: options.implement,
    exitCode: output?.exitCode ?? details?.exitCode ?? null,
    durationMs: op.durationMs,
    output: firstMessage(`${output?.stderr ?? details?.stderrTail ?? ''}\n${output?.stdout ?? ''}`).slice(0, 300),
  };
  if (op.status !== 'succeeded') return { test, verdict: 'implement-failed', reason: `the implement command did not succeed: ${op.error?.message ?? op.status}`, red, implement };

  ctx.progress(`green: running ${test} after the implementation`);
  const green = summarize(await runPhase('green'));
  if (green.status !== 'passed' || green.passed === 0) {
    const first = green.failures[0];
    const reason = green.crash ?? (first ? `${first.test}: ${first.message}` : 'no test passed');
    return { test, verdict: 'not-green', reason: `the test does not pass after the implementation: ${reason}`, red, implement, green };
  }
  return { test, verdict: 'red-green', red, implement, green };
}

function whyNotRed(red: PhaseSummary): { verdict: RedGreenVerdict; reason: string } | undefined {
  if (red.status === 'crashed') return { verdict: 'not-red', reason: `the test did not run (a compile or import error is not red): ${red.crash ?? 'it crashed'}` };
  if (red.failed === 0 && red.passed > 0) return { verdict: 'already-green', reason: `the test already passes (${red.passed} passed) before the implementation` };
  if (red.failed === 0) return { verdict: 'not-red', reason: `no test ran (${red.todo} todo)` };
  if (red.assertionFailures === 0) {
    return { verdict: 'not-red', reason: `the test fails with errors, not assertion failures: ${red.failures[0]?.message ?? 'unknown error'}` };
  }
  return undefined;
}

function summarize(result: SuiteResult): PhaseSummary {
  return {
    status: result.status,
    passed: result.passed,
    failed: result.failed,
    todo: result.todo,
    assertionFailures: result.failures.filter((f) => f.assertion).length,
    durationMs: result.durationMs,
    failures: result.failures.slice(0, FAILURES_KEPT),
    ...(result.crash !== undefined ? { crash: result.crash } : {}),
  };
}

/** The nearest folder at or above the test's with a jest config (or a package.json `jest` key); the root otherwise. */
export function jestFolderOf(root: string, test: string): string {
  for (let dir = path.posix.dirname(test); ; dir = path.posix.dirname(dir)) {
    const abs = path.join(root, dir);
    if (JEST_CONFIGS.some((name) => existsSync(path.join(abs, name))) || hasJestKey(path.join(abs, 'package.json'))) return dir === '.' ? '' : dir;
    if (dir === '.' || dir === '') return '';
  }
}

function hasJestKey(file: string): boolean {
  try {
    return typeof (JSON.parse(readFileSync(file, 'utf8')) as { jest?: unknown }).jest === 'object';
  } catch {
    return false;
  }
}
