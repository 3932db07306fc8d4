import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ValidationError } from '../errors';
import type { BatchMetrics } from '../operations/types';
import { recommend, type Recommendation, type RecommendationOptions } from './recommendations';
import { runRecordSchema, type RecordExtra, type RunRecord } from './run-record';
import { summarize, type PerformanceSummary } from './summary';
import { computeTrends, type TrendOptions, type TrendReport } from './trends';

/** Relative to the workspace root. */
export const METRICS_FILE = '.sparc/metrics.jsonl';

export interface HistoryOptions {
  /** Most recent records to return. */
  limit?: number;
  label?: string;
  kind?: string;
}

export interface MetricsLog {
  /** Oldest first (file order). */
  records: RunRecord[];
  /** Lines that were not valid JSON or not a valid record, such as a line cut short by a crash. */
  corruptLines: number;
}

/**
 * The run history of one workspace: one JSON line per batch run in `.sparc/metrics.jsonl`.
 * Everything it reports is computed from those lines.
 */
export class PerformanceMonitor {
  readonly file: string;

  constructor(workspaceRoot: string) {
    if (typeof workspaceRoot !== 'string' || workspaceRoot === '') {
      throw new ValidationError('PerformanceMonitor needs the workspace root folder', [{ path: 'workspaceRoot', message: 'required' }]);
    }
    this.file = path.join(path.resolve(workspaceRoot), ...METRICS_FILE.split('/'));
  }

  /** Appends one run. One `appendFile` of one line, so concurrent runs do not interleave. */
  async record(metrics: BatchMetrics, extra: RecordExtra = {}): Promise<RunRecord> {
    const candidate = {
      ts: new Date().toISOString(),
      kind: extra.kind ?? 'batch',
      ...(metrics.label !== undefined ? { label: metrics.label } : {}),
      ...(extra.runId !== undefined ? { runId: extra.runId } : {}),
      ...(extra.mode !== undefined ? { mode: extra.mode } : {}),
      operations: metrics.operations,
      wallMs: metrics.wallMs,
      sumOpMs: metrics.sumOpMs,
      speedup: metrics.speedup,
      peakInFlight: metrics.peakInFlight,
      concurrency: metrics.concurrency,
      successRate: metrics.successRate,
      counts: metrics.counts,
      rssBytes: metrics.rssBytes,
      heapUsedBytes: metrics.heapUsedBytes,
    };
    const parsed = runRecordSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new ValidationError(`refusing to record metrics that were not measured properly: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, 'INVALID_METRICS');
    }
    const record = parsed.data as RunRecord;
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    await fsp.appendFile(this.file, `${JSON.stringify(record)}\n`);
    return record;
  }

  async read(): Promise<MetricsLog> {
    return readLog(this.file);
  }

  /** Matching records, oldest first; with `limit`, the most recent ones. */
  async history(options: HistoryOptions = {}): Promise<RunRecord[]> {
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
      throw new ValidationError(`history limit must be a positive integer (got ${options.limit})`, [{ path: 'limit', message: 'positive integer' }]);
    }
    const { records } = await this.read();
    const matching = records.filter((r) => (options.label === undefined || r.label === options.label) && (options.kind === undefined || r.kind === options.kind));
    return options.limit === undefined ? matching : matching.slice(-options.limit);
  }

  async summary(): Promise<PerformanceSummary> {
    const { records, corruptLines } = await this.read();
    return summarize(records, corruptLines);
  }

  async trends(options: TrendOptions = {}): Promise<TrendReport> {
    const { records } = await this.read();
    return computeTrends(records, options);
  }

  async recommendations(options: RecommendationOptions = {}): Promise<Recommendation[]> {
    const { records } = await this.read();
    return recommend(records, options);
  }

  /** Deletes the history; resolves to the number of records it held. */
  async clear(): Promise<number> {
    // Renaming first takes the file out of the way atomically: a run that appends meanwhile starts a
    // new file instead of losing its line to the delete, and the count matches what was removed.
    const detached = `${this.file}.${randomBytes(6).toString('hex')}.clearing`;
    try {
      await fsp.rename(this.file, detached);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    try {
      return (await readLog(detached)).records.length;
    } finally {
      await fsp.rm(detached, { force: true });
    }
  }
}

async function readLog(file: string): Promise<MetricsLog> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], corruptLines: 0 };
    throw error;
  }
  const records: RunRecord[] = [];
  let corruptLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      corruptLines++;
      continue;
    }
    const parsed = runRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data as RunRecord);
    else corruptLines++;
  }
  return { records, corruptLines };
}
