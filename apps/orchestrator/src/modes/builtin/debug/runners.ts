import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { OperationInput } from '@sparc/batch-core';
import { firstLine, locate } from './locate';
import type { RunnerContext, Suite, SuiteReport, TestFailure } from './types';

/** One run of a suite: the engine operation and the file its results land in. */
export interface PlannedRun {
  suite: Suite;
  attempt: number;
  operation: OperationInput;
  outFile: string;
  /** Absolute test files this run is limited to (a rerun). */
  files?: string[];
}

async function exists(file: string): Promise<boolean> {
  return fsp.access(file).then(
    () => true,
    () => false,
  );
}

/** jest's CLI as installed for the suite's folder (or any folder above it). */
export async function findJestBin(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js');
    if (await exists(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export async function planRun(suite: Suite, attempt: number, ctx: RunnerContext, files?: string[]): Promise<PlannedRun | { error: string }> {
  const id = `${suite.name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${attempt}`;
  const cwdAbs = path.join(ctx.root, suite.cwd);
  const base = { id, timeoutMs: ctx.timeoutMs };
  if (suite.kind === 'jest') {
    const bin = await findJestBin(cwdAbs);
    if (!bin) return { error: `jest is not installed for ${suite.cwd || 'the workspace root'} (no node_modules/jest): run npm install` };
    const outFile = path.join(ctx.outDir, `${id}.jest.json`);
    const args = [bin, '--json', `--outputFile=${outFile}`, '--testLocationInResults', '--ci', `--maxWorkers=${ctx.maxWorkers}`, '--passWithNoTests', ...(files ? ['--runTestsByPath', ...files] : [])];
    return { suite, attempt, outFile, ...(files ? { files } : {}), operation: { ...base, type: 'exec', params: { command: process.execPath, args, cwd: suite.cwd } } };
  }
  if (suite.kind === 'node-test') {
    const outFile = path.join(ctx.outDir, `${id}.tap`);
    const args = ['--test', '--test-reporter=tap', `--test-reporter-destination=${outFile}`, ...(files ?? suite.files ?? [])];
    return { suite, attempt, outFile, ...(files ? { files } : {}), operation: { ...base, type: 'exec', params: { command: process.execPath, args, cwd: suite.cwd } } };
  }
  const outFile = path.join(ctx.outDir, `${id}.log`);
  // The log is kept whatever the exit code, so failures can be read from it.
  const command = `${suite.command ?? 'npm test --silent'} > ${quote(outFile)} 2>&1`;
  return { suite, attempt, outFile, operation: { ...base, type: 'exec', params: { command, shell: true, cwd: suite.cwd } } };
}

interface JestAssertion {
  fullName: string;
  status: string;
  location?: { line: number; column: number } | null;
  failureMessages?: string[];
}
interface JestFileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults?: JestAssertion[];
}

function parseJest(text: string, run: PlannedRun, ctx: RunnerContext): SuiteReport {
  const report: SuiteReport = { passed: 0, failed: 0, todo: 0, skipped: 0, failures: [] };
  const json = JSON.parse(text) as { testResults?: JestFileResult[] };
  const base = path.join(ctx.root, run.suite.cwd);
  const relative = (file: string) => path.relative(ctx.root, file).split(path.sep).join('/');
  for (const file of json.testResults ?? []) {
    const assertions = file.assertionResults ?? [];
    for (const a of assertions) {
      if (a.status === 'passed') report.passed++;
      else if (a.status === 'todo') report.todo++;
      else if (a.status === 'pending' || a.status === 'skipped' || a.status === 'disabled') report.skipped++;
      else if (a.status === 'failed') {
        report.failed++;
        const message = (a.failureMessages ?? []).join('\n');
        const where = locate(message, ctx.root, base, file.name) ?? (a.location ? { file: relative(file.name), line: a.location.line } : { file: relative(file.name) });
        report.failures.push({ suite: run.suite.name, test: a.fullName, ...where, message: firstLine(message), rerunFile: file.name });
      }
    }
    // A file that failed without a failing test did not run: a syntax error, a failing import.
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      const message = file.message ?? 'test file failed to run';
      const where = locate(message, ctx.root, base, file.name) ?? { file: relative(file.name) };
      const reason = /Test suite failed to run/.test(message) ? firstLine(message.split(/Details:|SyntaxError:/).slice(-1)[0] ?? message) : firstLine(message);
      report.failures.push({ suite: run.suite.name, ...where, message: `test file failed to run: ${reason}`, rerunFile: file.name });
    }
  }
  return report;
}

/** TAP from `node --test --test-reporter=tap`: each `not ok` block carries location and stack. */
function parseTap(text: string, run: PlannedRun, ctx: RunnerContext): SuiteReport {
  const report: SuiteReport = { passed: 0, failed: 0, todo: 0, skipped: 0, failures: [] };
  const base = path.join(ctx.root, run.suite.cwd);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*(ok|not ok) \d+ - (.*?)(?:\s+#\s*(TODO|SKIP)\b.*)?$/i.exec(lines[i]);
    if (!head) continue;
    const block: string[] = [];
    if (/^\s*---\s*$/.test(lines[i + 1] ?? '')) {
      for (let j = i + 2; j < lines.length && !/^\s*\.\.\.\s*$/.test(lines[j]); j++) block.push(lines[j]);
    }
    const yaml = block.join('\n');
    // A file or describe wrapper fails because a test in it failed: counted once, at the test.
    if (/failureType: 'subtestsFailed'/.test(yaml)) continue;
    if (head[3]?.toUpperCase() === 'TODO') report.todo++;
    else if (head[3]?.toUpperCase() === 'SKIP') report.skipped++;
    else if (head[1] === 'ok') report.passed++;
    else {
      report.failed++;
      const declared = /location: '([^']+):(\d+):\d+'/.exec(yaml);
      const testFile = declared ? path.resolve(base, declared[1]) : undefined;
      const stack = /stack: \|-\n([\s\S]*)/.exec(yaml)?.[1] ?? '';
      const where = locate(stack, ctx.root, base, testFile) ?? (declared ? locate(`${declared[1]}:${declared[2]}`, ctx.root, base) : undefined);
      const error = /error: (?:\|-\n\s*)?'?([^\n']+)/.exec(yaml)?.[1] ?? 'failed';
      report.failures.push({ suite: run.suite.name, test: head[2], ...(where ?? {}), message: error.trim(), ...(testFile ? { rerunFile: testFile } : {}) });
    }
  }
  return report;
}

function parseLog(text: string, exitFailed: boolean, run: PlannedRun, ctx: RunnerContext): SuiteReport {
  if (!exitFailed) return { passed: 1, failed: 0, todo: 0, skipped: 0, failures: [] };
  const where = locate(text, ctx.root, path.join(ctx.root, run.suite.cwd));
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // The thrown error's own line, else the last line that is not npm's or node's epilogue.
  const tail = lines.find((l) => /^(?:\w*Error|AssertionError)\b(?:\s*\[[^\]]*\])?:/.test(l)) ?? [...lines].reverse().find((l) => !/^(?:npm (?:ERR!|error)|Node\.js v)/.test(l)) ?? '';
  const failure: TestFailure = { suite: run.suite.name, ...(where ?? {}), message: `${run.suite.command ?? 'npm test'} failed${tail ? `: ${firstLine(tail)}` : ''}` };
  return { passed: 0, failed: 1, todo: 0, skipped: 0, failures: [failure] };
}

/** Reads a finished run's results; `crashed` when it produced none. */
export async function readRun(run: PlannedRun, ctx: RunnerContext, status: string, errorMessage: string | undefined): Promise<SuiteReport> {
  const text = await fsp.readFile(run.outFile, 'utf8').catch(() => undefined);
  const crashed = (why: string): SuiteReport => ({ passed: 0, failed: 0, todo: 0, skipped: 0, failures: [], crashed: why });
  if (status === 'timed-out' || status === 'cancelled') return crashed(`${status}${errorMessage ? `: ${errorMessage}` : ''}`);
  if (run.suite.kind === 'script') return text === undefined ? crashed(errorMessage ?? 'no output') : parseLog(text, status !== 'succeeded', run, ctx);
  if (text === undefined || text.trim() === '') return crashed(errorMessage ?? 'the runner wrote no results');
  try {
    const report = run.suite.kind === 'jest' ? parseJest(text, run, ctx) : parseTap(text, run, ctx);
    if (status !== 'succeeded' && report.failures.length === 0 && report.failed === 0) {
      return { ...report, crashed: errorMessage ?? 'the runner failed without a failing test' };
    }
    return report;
  } catch (error) {
    return crashed(`unreadable results in ${path.basename(run.outFile)}: ${(error as Error).message}`);
  }
}
