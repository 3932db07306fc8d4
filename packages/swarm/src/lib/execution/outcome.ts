import type { BatchResult, ErrorInfo, ModeResult } from '@sparc/batch-core';

/** Outputs travel through Redis and state files: anything larger is replaced by a note saying how large it was. */
export const MAX_OUTPUT_BYTES = 64 * 1024;
export const MAX_MODE_OUTPUT_BYTES = 512 * 1024;

export interface AttemptOutcome {
  ok: boolean;
  output?: unknown;
  error?: ErrorInfo;
  /** Epoch ms when the attempt started, and how long it ran. */
  startedAt: number;
  durationMs: number;
}

export function compactOutput(value: unknown, maxBytes = MAX_OUTPUT_BYTES): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return { truncated: true, reason: 'not serializable as JSON' };
  }
  if (text === undefined) return undefined;
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return JSON.parse(text) as unknown;
  return { truncated: true, bytes, preview: text.slice(0, 1000) };
}

export function batchOutput(result: BatchResult): Record<string, unknown> {
  const notSucceeded = result.results.filter((r) => r.status !== 'succeeded');
  return {
    status: result.status,
    operations: result.metrics.operations,
    counts: result.metrics.counts,
    wallMs: result.metrics.wallMs,
    ...(result.committed !== undefined ? { committed: result.committed } : {}),
    ...(notSucceeded.length > 0 ? { notSucceeded: notSucceeded.slice(0, 20).map((r) => ({ id: r.id, status: r.status, ...(r.error ? { error: r.error } : {}) })) } : {}),
  };
}

export function batchError(result: BatchResult): ErrorInfo | undefined {
  if (result.commitError) return { code: 'COMMIT_FAILED', message: `batch commit failed, every change rolled back: ${result.commitError.code}: ${result.commitError.message}` };
  if (result.status === 'succeeded') return undefined;
  const bad = result.results.filter((r) => r.status !== 'succeeded');
  const first = bad.find((r) => r.status !== 'skipped') ?? bad[0];
  const detail = first ? `operation "${first.id}" ${first.status}${first.error ? `: ${first.error.code}: ${first.error.message}` : ''}` : 'no operation succeeded';
  return { code: 'BATCH_FAILED', message: `batch ${result.status}: ${detail}${bad.length > 1 ? ` (${bad.length - 1} more not succeeded)` : ''}` };
}

/** The parts of a mode result that dependents need, within the size limit. */
export function modeOutput(result: ModeResult): ModeResult {
  const { status, summary, findings, data, artifacts } = result;
  const compact = { status, summary, findings, data, artifacts };
  if (Buffer.byteLength(JSON.stringify(compact) ?? '') <= MAX_MODE_OUTPUT_BYTES) return compact;
  return { status, summary, findings: findings.slice(0, 200), data: compactOutput(data, MAX_MODE_OUTPUT_BYTES / 2), artifacts };
}
