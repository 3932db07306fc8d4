/**
 * Defensive readers for istanbul's `coverage-summary.json` and `coverage-final.json`: reports come
 * from many tool versions and hand edits, so every field is checked and `pct` may be "Unknown".
 */

export const METRICS = ['lines', 'statements', 'functions', 'branches'] as const;
export type MetricName = (typeof METRICS)[number];

export interface Metric {
  total: number;
  covered: number;
  /** Null when there is nothing to cover ("Unknown" in istanbul's files). */
  pct: number | null;
}

export type FileSummary = Record<MetricName, Metric>;

export interface NeverCalledFunction {
  file: string;
  name: string;
  line: number;
}

/** istanbul's per-file data in coverage-final.json (only the fields read here). */
export interface FileCoverageData {
  statementMap: Record<string, { start?: { line?: number } }>;
  s: Record<string, number>;
  fnMap: Record<string, { name?: string; line?: number; decl?: { start?: { line?: number } }; loc?: { start?: { line?: number } } }>;
  f: Record<string, number>;
  b: Record<string, number[]>;
}

const asCount = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A metric from a summary entry; pct is recomputed from the counts when they are there. */
export function readMetric(raw: unknown): Metric {
  if (!isRecord(raw)) return { total: 0, covered: 0, pct: null };
  const total = asCount(raw.total);
  const covered = asCount(raw.covered);
  if (total !== undefined && covered !== undefined) return { total, covered: Math.min(covered, total), pct: total === 0 ? null : round((covered / total) * 100) };
  const pct = asCount(raw.pct);
  return { total: total ?? 0, covered: covered ?? 0, pct: pct !== undefined && pct <= 100 ? pct : null };
}

/** Per-file summaries from a parsed coverage-summary.json (the `total` entry left out). */
export function readSummary(document: unknown): { files: Map<string, FileSummary>; total?: FileSummary } {
  if (!isRecord(document)) throw new Error('a coverage summary must be a JSON object keyed by file');
  const files = new Map<string, FileSummary>();
  let total: FileSummary | undefined;
  for (const [key, entry] of Object.entries(document)) {
    if (!isRecord(entry)) continue;
    const summary = Object.fromEntries(METRICS.map((m) => [m, readMetric(entry[m])])) as FileSummary;
    if (key === 'total') total = summary;
    else files.set(key, summary);
  }
  return { files, total };
}

/** The files of a parsed coverage-final.json, malformed entries skipped. */
export function readFinal(document: unknown): Map<string, FileCoverageData> {
  if (!isRecord(document)) throw new Error('coverage-final.json must be a JSON object keyed by file');
  const files = new Map<string, FileCoverageData>();
  for (const [key, entry] of Object.entries(document)) {
    if (!isRecord(entry)) continue;
    const record = (name: string) => (isRecord(entry[name]) ? (entry[name] as Record<string, never>) : {});
    files.set(typeof entry.path === 'string' ? entry.path : key, { statementMap: record('statementMap'), s: record('s'), fnMap: record('fnMap'), f: record('f'), b: record('b') });
  }
  return files;
}

/** Adds `extra`'s hit counts into `into` (the same file seen by several suites). */
export function mergeFinal(into: Map<string, FileCoverageData>, extra: Map<string, FileCoverageData>): void {
  for (const [file, data] of extra) {
    const existing = into.get(file);
    if (!existing) {
      into.set(file, data);
      continue;
    }
    for (const [id, hits] of Object.entries(data.s)) existing.s[id] = (asCount(existing.s[id]) ?? 0) + (asCount(hits) ?? 0);
    for (const [id, hits] of Object.entries(data.f)) existing.f[id] = (asCount(existing.f[id]) ?? 0) + (asCount(hits) ?? 0);
    for (const [id, branches] of Object.entries(data.b)) {
      const current = Array.isArray(existing.b[id]) ? existing.b[id] : [];
      existing.b[id] = (Array.isArray(branches) ? branches : []).map((hits, i) => (asCount(current[i]) ?? 0) + (asCount(hits) ?? 0));
    }
  }
}

/** A file's summary computed from its coverage-final data, as istanbul does (a line counts when a statement starting on it ran). */
export function summarizeFinal(data: FileCoverageData): FileSummary {
  const metric = (counts: number[]): Metric => {
    const covered = counts.filter((c) => c > 0).length;
    return { total: counts.length, covered, pct: counts.length === 0 ? null : round((covered / counts.length) * 100) };
  };
  const lines = new Map<number, number>();
  for (const [id, location] of Object.entries(data.statementMap)) {
    const line = location?.start?.line;
    if (typeof line !== 'number') continue;
    lines.set(line, Math.max(lines.get(line) ?? 0, asCount(data.s[id]) ?? 0));
  }
  return {
    lines: metric([...lines.values()]),
    statements: metric(Object.keys(data.statementMap).map((id) => asCount(data.s[id]) ?? 0)),
    functions: metric(Object.keys(data.fnMap).map((id) => asCount(data.f[id]) ?? 0)),
    branches: metric(Object.values(data.b).flatMap((hits) => (Array.isArray(hits) ? hits.map((h) => asCount(h) ?? 0) : []))),
  };
}

/** Functions no test ever called, from coverage-final data. */
export function neverCalled(file: string, data: FileCoverageData): NeverCalledFunction[] {
  const found: NeverCalledFunction[] = [];
  for (const [id, fn] of Object.entries(data.fnMap)) {
    if ((asCount(data.f[id]) ?? 0) > 0) continue;
    const line = fn?.decl?.start?.line ?? fn?.line ?? fn?.loc?.start?.line ?? 0;
    found.push({ file, name: typeof fn?.name === 'string' && fn.name !== '' ? fn.name : '(anonymous)', line });
  }
  return found.sort((a, b) => a.line - b.line);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
