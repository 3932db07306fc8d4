import * as path from 'node:path';

/** One failing test, where it failed and why. */
export interface TestFailure {
  /** Workspace-relative test file. */
  file: string;
  line?: number;
  /** `describe › it` titles. */
  test: string;
  message: string;
  /** True when an `expect` matcher failed (not a thrown error). */
  assertion: boolean;
}

/** A test file that could not run at all (syntax error, missing module, throw at load). */
export interface CrashedFile {
  file: string;
  message: string;
}

export interface JestCounts {
  passed: number;
  failed: number;
  todo: number;
  skipped: number;
  total: number;
  files: number;
}

export interface JestReportSummary extends JestCounts {
  failures: TestFailure[];
  crashedFiles: CrashedFile[];
}

interface JestAssertion {
  ancestorTitles?: string[];
  title?: string;
  status?: string;
  failureMessages?: string[];
  failureDetails?: unknown[];
  location?: { line?: number } | null;
}

interface JestFileResult {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: JestAssertion[];
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters
const ANSI = /\u001b\[[0-9;]*m/g;
const MAX_MESSAGE = 500;

/**
 * Reads jest's `--json` report. `toRelative` turns jest's absolute paths into workspace-relative
 * ones. Throws on a document that is not a jest report, so the caller can call the suite crashed.
 */
export function summarizeJestReport(report: unknown, toRelative: (abs: string) => string): JestReportSummary {
  if (typeof report !== 'object' || report === null || !Array.isArray((report as { testResults?: unknown }).testResults)) {
    throw new Error('not a jest --json report (no testResults)');
  }
  const summary: JestReportSummary = { passed: 0, failed: 0, todo: 0, skipped: 0, total: 0, files: 0, failures: [], crashedFiles: [] };
  for (const fileResult of (report as { testResults: JestFileResult[] }).testResults) {
    summary.files++;
    const absolute = typeof fileResult.name === 'string' ? fileResult.name : '';
    const file = absolute ? toRelative(absolute) : '(unknown file)';
    const assertions = Array.isArray(fileResult.assertionResults) ? fileResult.assertionResults : [];
    if (fileResult.status === 'failed' && assertions.length === 0) {
      summary.crashedFiles.push({ file, message: crashMessage(fileResult.message ?? 'the test file failed to run') });
      continue;
    }
    for (const assertion of assertions) {
      summary.total++;
      switch (assertion.status) {
        case 'passed':
          summary.passed++;
          break;
        case 'failed':
          summary.failed++;
          summary.failures.push(failureOf(assertion, absolute, file));
          break;
        case 'todo':
          summary.todo++;
          break;
        default:
          summary.skipped++;
      }
    }
  }
  return summary;
}

function failureOf(assertion: JestAssertion, absolute: string, file: string): TestFailure {
  const raw = assertion.failureMessages?.[0] ?? '';
  const test = [...(assertion.ancestorTitles ?? []), assertion.title ?? ''].filter((t) => t !== '').join(' › ');
  const line = lineInFile(raw, absolute) ?? assertion.location?.line ?? undefined;
  const details = assertion.failureDetails?.[0];
  const isAssertion = typeof details === 'object' && details !== null && 'matcherResult' in details;
  return { file, ...(line !== undefined ? { line } : {}), test, message: firstMessage(raw), assertion: isAssertion };
}

/** The line of the first stack frame in the test file itself: where the failing expectation sits. */
function lineInFile(stack: string, absolute: string): number | undefined {
  if (absolute === '') return undefined;
  const escaped = absolute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+):\\d+`).exec(stack);
  return match ? Number(match[1]) : undefined;
}

/** The message part of a failure (no stack, no code frame), on one line. */
export function firstMessage(text: string): string {
  const lines = text.replace(ANSI, '').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('at ') || /^>?\s*\d+ \|/.test(trimmed)) break;
    if (trimmed === '' || trimmed.startsWith('●')) continue;
    kept.push(trimmed);
  }
  const joined = kept.join(' ').replace(/^Error: /, '');
  return joined.length > MAX_MESSAGE ? `${joined.slice(0, MAX_MESSAGE - 1)}…` : joined || 'failed without a message';
}

/**
 * Why a test file could not run. Jest wraps parse errors in a page of advice; the error itself
 * follows its "Details:" line, so that is what is kept.
 */
export function crashMessage(text: string): string {
  const plain = text.replace(ANSI, '');
  const details = plain.indexOf('Details:');
  if (details !== -1) {
    const error = /^\s*((?:\w+Error|Error): .+)$/m.exec(plain.slice(details));
    if (error) return firstMessage(error[1]);
  }
  return firstMessage(plain);
}

/** Workspace-relative when inside the workspace, else the absolute path. */
export function relativeTo(root: string): (abs: string) => string {
  return (abs) => {
    const rel = path.relative(root, abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  };
}
