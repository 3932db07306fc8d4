import { ValidationError } from '../errors';
import { isConcurrentRun, labelOf, wallMsPerOp, type RunRecord } from './run-record';
import { median } from './stats';
import { groupBy } from './summary';

export type TrendDirection = 'improving' | 'worsening' | 'flat' | 'insufficient-data';

export interface TrendOptions {
  /** Runs in each of the two windows compared (the last `window` runs vs the `window` before). @default 5 */
  window?: number;
  /** Relative change of the medians below which a metric counts as flat. @default 0.1 */
  tolerance?: number;
}

export interface TrendPoint {
  ts: string;
  speedup: number;
  wallMsPerOp: number;
  concurrency: number;
}

export interface TrendWindow {
  runs: number;
  fromTs: string;
  toTs: string;
  medianSpeedup: number;
  medianWallMsPerOp: number;
}

export interface LabelTrend {
  label: string;
  /** Runs at concurrency > 1 recorded for this label (the only ones trends look at). */
  runs: number;
  speedup: TrendDirection;
  wallMsPerOp: TrendDirection;
  /** Null until there are `2 × window` runs. */
  earlier: TrendWindow | null;
  recent: TrendWindow | null;
  /** recent / earlier medians; null when a direction could not be computed. */
  change: { speedup: number | null; wallMsPerOp: number | null } | null;
  /** The runs the windows were taken from (at most `2 × window`), oldest first. */
  points: TrendPoint[];
}

export interface TrendReport {
  window: number;
  tolerance: number;
  /** Runs a label needs before a direction is given. */
  runsNeeded: number;
  labels: LabelTrend[];
}

/**
 * Per label, compares the median speed-up and wall time per operation of the most recent runs with
 * the runs just before them. Medians keep one noisy run from flipping the direction.
 */
export function computeTrends(records: readonly RunRecord[], options: TrendOptions = {}): TrendReport {
  const window = options.window ?? 5;
  const tolerance = options.tolerance ?? 0.1;
  if (!Number.isInteger(window) || window < 1) throw new ValidationError(`trend window must be a positive integer (got ${window})`, [{ path: 'window', message: 'positive integer' }]);
  if (!(tolerance >= 0 && tolerance < 1)) throw new ValidationError(`trend tolerance must be in [0, 1) (got ${tolerance})`, [{ path: 'tolerance', message: 'in [0, 1)' }]);
  const runsNeeded = 2 * window;
  const labels: LabelTrend[] = [];
  const groups = groupBy(records.filter(isConcurrentRun), labelOf);
  for (const label of [...groups.keys()].sort()) {
    const runs = groups.get(label) as RunRecord[];
    const points = runs.slice(-runsNeeded).map(toPoint);
    if (runs.length < runsNeeded) {
      labels.push({ label, runs: runs.length, speedup: 'insufficient-data', wallMsPerOp: 'insufficient-data', earlier: null, recent: null, change: null, points });
      continue;
    }
    const earlier = windowStats(points.slice(0, window));
    const recent = windowStats(points.slice(window));
    labels.push({
      label,
      runs: runs.length,
      speedup: direction(earlier.medianSpeedup, recent.medianSpeedup, tolerance, 'higher-is-better'),
      wallMsPerOp: direction(earlier.medianWallMsPerOp, recent.medianWallMsPerOp, tolerance, 'lower-is-better'),
      earlier,
      recent,
      change: { speedup: ratio(recent.medianSpeedup, earlier.medianSpeedup), wallMsPerOp: ratio(recent.medianWallMsPerOp, earlier.medianWallMsPerOp) },
      points,
    });
  }
  return { window, tolerance, runsNeeded, labels };
}

function toPoint(record: RunRecord): TrendPoint {
  // isConcurrentRun guarantees operations > 0, so the per-op time exists.
  return { ts: record.ts, speedup: record.speedup, wallMsPerOp: wallMsPerOp(record) as number, concurrency: record.concurrency };
}

function windowStats(points: TrendPoint[]): TrendWindow {
  return {
    runs: points.length,
    fromTs: points[0].ts,
    toTs: points[points.length - 1].ts,
    medianSpeedup: median(points.map((p) => p.speedup)),
    medianWallMsPerOp: median(points.map((p) => p.wallMsPerOp)),
  };
}

function ratio(recent: number, earlier: number): number | null {
  return earlier > 0 ? recent / earlier : null;
}

function direction(earlier: number, recent: number, tolerance: number, better: 'higher-is-better' | 'lower-is-better'): TrendDirection {
  if (earlier === 0) {
    if (recent === 0) return 'flat';
    return better === 'higher-is-better' ? 'improving' : 'worsening';
  }
  const change = recent / earlier - 1;
  if (Math.abs(change) <= tolerance) return 'flat';
  const rose = change > 0;
  return rose === (better === 'higher-is-better') ? 'improving' : 'worsening';
}
