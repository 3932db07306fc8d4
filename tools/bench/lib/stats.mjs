/** Small statistics and formatting helpers shared by the suites. */

export function median(values) {
  if (values.length === 0) throw new Error('median of no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function min(values) {
  return Math.min(...values);
}

export function max(values) {
  return Math.max(...values);
}

/** 1234567 -> "1,234,567"; keeps a fixed number of decimals below 100. */
export function formatCount(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

export function formatMs(ms) {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRatio(ratio) {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : String(ratio);
}

export function formatMiB(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "41.2, 40.8, 43.0": every sample behind a median of a few. */
export function formatSpread(samples) {
  return samples.map((ms) => ms.toFixed(1)).join(', ');
}

/** "31.6–56.9 (n=14)": the spread behind a median of many samples. */
export function formatRange(samples) {
  return `${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)} (n=${samples.length})`;
}

export function formatMicros(us) {
  return us >= 1000 ? formatMs(us / 1000) : `${us.toFixed(0)} µs`;
}
