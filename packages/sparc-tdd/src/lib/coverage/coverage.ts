import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Finding, Workspace } from '@sparc/batch-core';
import { TddError } from '../errors';
import { relativeTo } from '../run/jest-report';
import type { RunContext, RunReport } from '../run/run-suites';
import { runSuites } from '../run/run-suites';
import type { Suite } from '../run/suites';
import { mergeFinal, METRICS, neverCalled, readFinal, readSummary, summarizeFinal, type FileCoverageData, type FileSummary, type Metric, type MetricName, type NeverCalledFunction } from './istanbul';

export interface CoverageOptions {
  summary: string;
  final: string;
  metric: MetricName;
  top: number;
  min?: number;
}

export interface RankedModule extends FileSummary {
  file: string;
  /** The ranking metric's percentage. */
  pct: number | null;
  /** Uncovered units of the ranking metric: size × (1 − coverage), the ranking key. */
  uncovered: number;
}

export interface CoverageReport {
  /** Where the numbers come from: the files read, or the suites run. */
  source: string;
  metric: MetricName;
  total: FileSummary;
  modules: number;
  weakest: RankedModule[];
  neverCalled: NeverCalledFunction[];
  neverCalledCount: number;
  belowMin: Array<{ file: string; pct: number }>;
  min?: number;
}

/** neverCalled entries kept in the report; the count says how many there were. */
const MAX_NEVER_CALLED = 500;

/** Reads the workspace's istanbul reports (summary and/or final). */
export async function readCoverageFiles(workspace: Workspace, options: Pick<CoverageOptions, 'summary' | 'final'>): Promise<{ summaries: Map<string, FileSummary>; total?: FileSummary; final?: Map<string, FileCoverageData>; source: string }> {
  const summaryDoc = await readJsonIfPresent(await workspace.resolveReal(options.summary), options.summary);
  const finalDoc = await readJsonIfPresent(await workspace.resolveReal(options.final), options.final);
  if (summaryDoc === undefined && finalDoc === undefined) {
    throw new TddError(
      'TDD_COVERAGE_NOT_FOUND',
      `no coverage report: neither ${options.summary} nor ${options.final} exists (run the suites with --run, or jest --coverage --coverageReporters=json-summary --coverageReporters=json)`,
    );
  }
  const final = finalDoc !== undefined ? parseWith(readFinal, finalDoc, options.final) : undefined;
  if (summaryDoc !== undefined) {
    const { files, total } = parseWith(readSummary, summaryDoc, options.summary);
    return { summaries: files, total, final, source: [options.summary, ...(final ? [options.final] : [])].join(' + ') };
  }
  const summaries = new Map([...(final as Map<string, FileCoverageData>)].map(([file, data]) => [file, summarizeFinal(data)]));
  return { summaries, final, source: options.final };
}

/** Runs the suites with istanbul's json reporter into the report folder and merges what they saw. */
export async function runWithCoverage(ctx: RunContext, suites: Suite[], opts: { concurrency: number; timeoutMs: number }): Promise<{ run: RunReport; final: Map<string, FileCoverageData> }> {
  const dirOf = (suite: Suite) => path.join(ctx.artifacts.dir, 'coverage', suite.name);
  const run = await runSuites(ctx, suites, {
    ...opts,
    label: 'tdd coverage',
    extraArgs: (suite) => ['--coverage', '--coverageReporters=json', '--coverageReporters=json-summary', `--coverageDirectory=${dirOf(suite)}`],
  });
  const final = new Map<string, FileCoverageData>();
  for (const suite of suites) {
    const doc = await readJsonIfPresent(path.join(dirOf(suite), 'coverage-final.json'), `${suite.name} coverage-final.json`);
    if (doc !== undefined) mergeFinal(final, parseWith(readFinal, doc, `${suite.name} coverage-final.json`));
  }
  return { run, final };
}

/** Ranks modules by uncovered size, lists never-called functions and the modules under `min`. */
export function analyzeCoverage(
  root: string,
  input: { summaries: Map<string, FileSummary>; total?: FileSummary; final?: Map<string, FileCoverageData>; source: string },
  options: CoverageOptions,
): { report: CoverageReport; findings: Finding[] } {
  const toRelative = relativeTo(root);
  const modules = [...input.summaries].map(([file, summary]) => ({ file: toRelative(file), summary }));
  const ranked: RankedModule[] = modules
    .filter(({ summary }) => summary[options.metric].total > 0)
    .map(({ file, summary }) => ({ file, ...summary, pct: summary[options.metric].pct, uncovered: summary[options.metric].total - summary[options.metric].covered }))
    .sort((a, b) => b.uncovered - a.uncovered || (a.pct ?? 100) - (b.pct ?? 100) || a.file.localeCompare(b.file));
  const never = [...(input.final ?? new Map<string, FileCoverageData>())]
    .flatMap(([file, data]) => neverCalled(toRelative(file), data))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const belowMin =
    options.min === undefined
      ? []
      : ranked
          .filter((m) => m.pct !== null && m.pct < (options.min as number))
          .map((m) => ({ file: m.file, pct: m.pct as number }))
          .sort((a, b) => a.pct - b.pct || a.file.localeCompare(b.file));
  const findings: Finding[] = belowMin.map((m) => ({
    severity: 'error',
    rule: 'tdd.coverage-below-min',
    message: `${options.metric} coverage ${m.pct}% is below the minimum ${options.min}%`,
    file: m.file,
  }));
  return {
    report: {
      source: input.source,
      metric: options.metric,
      total: input.total ?? totalOf(modules.map((m) => m.summary)),
      modules: modules.length,
      weakest: ranked.slice(0, options.top),
      neverCalled: never.slice(0, MAX_NEVER_CALLED),
      neverCalledCount: never.length,
      belowMin,
      ...(options.min !== undefined ? { min: options.min } : {}),
    },
    findings,
  };
}

function totalOf(summaries: FileSummary[]): FileSummary {
  const metric = (name: MetricName): Metric => {
    const total = summaries.reduce((n, s) => n + s[name].total, 0);
    const covered = summaries.reduce((n, s) => n + s[name].covered, 0);
    return { total, covered, pct: total === 0 ? null : Math.round((covered / total) * 10_000) / 100 };
  };
  return Object.fromEntries(METRICS.map((m) => [m, metric(m)])) as FileSummary;
}

async function readJsonIfPresent(file: string, label: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TddError('TDD_BAD_COVERAGE', `cannot read ${label}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TddError('TDD_BAD_COVERAGE', `${label} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function parseWith<T>(reader: (doc: unknown) => T, doc: unknown, label: string): T {
  try {
    return reader(doc);
  } catch (error) {
    throw new TddError('TDD_BAD_COVERAGE', `${label}: ${(error as Error).message}`, { cause: error });
  }
}
