/** Small descriptive statistics over measured samples. Every function needs at least one sample. */

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

export function mean(values: readonly number[]): number {
  assertSamples(values);
  return sum(values) / values.length;
}

export function median(values: readonly number[]): number {
  assertSamples(values);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile: always one of the samples, never an interpolated value. */
export function percentile(values: readonly number[], p: number): number {
  assertSamples(values);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function assertSamples(values: readonly number[]): void {
  if (values.length === 0) throw new RangeError('no samples');
}

/** Loop rather than `Math.max(...values)`, which overflows the stack on long histories. */
export function max(values: readonly number[]): number {
  assertSamples(values);
  let best = values[0];
  for (const value of values) if (value > best) best = value;
  return best;
}

export function min(values: readonly number[]): number {
  assertSamples(values);
  let best = values[0];
  for (const value of values) if (value < best) best = value;
  return best;
}
