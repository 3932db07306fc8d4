import type { BatchEvent, BatchResult, OperationResult, OperationStatus } from '@sparc/batch-core';
import type { OutputStream } from './context';

/** The one JSON document a `--json` command prints. */
export function printJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const STATUS_SYMBOL: Record<OperationStatus, string> = {
  succeeded: '✔',
  failed: '✖',
  skipped: '○',
  cancelled: '⊘',
  'timed-out': '⏱',
};

/** Columns padded to their widest cell; the last column is left ragged. */
export function renderTable(rows: string[][], indent = ''): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('  ').trimEnd())
    .join('\n');
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function resultNote(result: OperationResult): string {
  if (result.error) {
    const { code, message } = result.error;
    return oneLine(message.startsWith(code) ? message : `${code}: ${message}`);
  }
  if (result.attempts > 1) return `after ${result.attempts} attempts`;
  return '';
}

/** Results in the order the batch listed its operations (unknown ids keep their place at the end). */
export function inSubmissionOrder(results: OperationResult[], ids: string[]): OperationResult[] {
  const index = new Map(ids.map((id, i) => [id, i]));
  return results
    .map((result, i) => ({ result, key: index.get(result.id) ?? ids.length + i }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.result);
}

export function formatBatchTable(results: OperationResult[]): string {
  return renderTable(
    results.map((r) => [STATUS_SYMBOL[r.status] ?? '?', r.id, r.type, r.status === 'skipped' ? '-' : formatMs(r.durationMs), resultNote(r)]),
  );
}

export function formatBatchSummary(result: BatchResult): string {
  const m = result.metrics;
  const counts = (Object.entries(m.counts) as Array<[OperationStatus, number]>)
    .filter(([status, n]) => n > 0 || status === 'succeeded')
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const label = result.label ? `"${result.label}" ` : '';
  const speed = `speed-up ${m.speedup.toFixed(2)}× (${formatMs(m.sumOpMs)} of operation time in ${formatMs(m.wallMs)} wall)`;
  return `batch ${label}${result.status}: ${m.operations} operation${m.operations === 1 ? '' : 's'} (${counts}) · ${speed} · concurrency ${m.concurrency}, peak ${m.peakInFlight} in flight`;
}

/** One row per operation of a dry run: what it would do, and why it did not when it could not. */
export function formatDryRunTable(results: OperationResult[], descriptions: Map<string, string>): string {
  return renderTable(
    results.map((r) => {
      const notRun = r.error?.code === 'DRY_RUN';
      const note = notRun ? 'not executed in a dry run' : r.error ? resultNote(r) : r.status === 'succeeded' ? '' : r.status;
      return [notRun ? '·' : (STATUS_SYMBOL[r.status] ?? '?'), r.id, r.type, descriptions.get(r.id) ?? '', note];
    }),
    '  ',
  );
}

/**
 * One line on a terminal that is rewritten in place. Draws nothing unless the stream is a TTY,
 * so redirected stderr (logs, CI) stays clean.
 */
export class StatusLine {
  #stream: OutputStream;
  #shown = false;

  constructor(stream: OutputStream) {
    this.#stream = stream;
  }

  get enabled(): boolean {
    return this.#stream.isTTY === true;
  }

  set(text: string): void {
    if (!this.enabled) return;
    const width = Math.max(20, (this.#stream.columns || 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.#stream.write(`\r\x1b[2K${line}`);
    this.#shown = true;
  }

  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}

const REDRAW_INTERVAL_MS = 50;

/**
 * `[done/total] running: a, b` from the engine's events. Redrawn at most every 50 ms; a change
 * inside that window is drawn when it ends, so the line never stays stale.
 */
export class BatchProgress {
  #line: StatusLine;
  #total = 0;
  #done = 0;
  #running = new Set<string>();
  #lastDraw = 0;
  #pending: NodeJS.Timeout | undefined;

  constructor(stream: OutputStream) {
    this.#line = new StatusLine(stream);
  }

  get enabled(): boolean {
    return this.#line.enabled;
  }

  handle(event: BatchEvent): void {
    switch (event.type) {
      case 'batch:start':
        this.#total = event.operations;
        this.#done = 0;
        this.#running.clear();
        this.#draw();
        return;
      case 'op:start':
        this.#running.add(event.id);
        break;
      case 'op:retry':
        break;
      case 'op:end':
        this.#running.delete(event.result.id);
        this.#done++;
        break;
      case 'batch:end':
        this.clear();
        return;
    }
    this.#schedule();
  }

  clear(): void {
    if (this.#pending) clearTimeout(this.#pending);
    this.#pending = undefined;
    this.#line.clear();
  }

  #schedule(): void {
    if (this.#pending) return;
    const wait = REDRAW_INTERVAL_MS - (Date.now() - this.#lastDraw);
    if (wait <= 0) {
      this.#draw();
      return;
    }
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#draw();
    }, wait);
    this.#pending.unref();
  }

  #draw(): void {
    this.#lastDraw = Date.now();
    const running = [...this.#running];
    const shown = running.slice(0, 8).join(', ') + (running.length > 8 ? `, +${running.length - 8} more` : '');
    this.#line.set(`[${this.#done}/${this.#total}] running: ${shown || '-'}`);
  }
}

export const BATCH_EVENT_TYPES = ['batch:start', 'op:start', 'op:retry', 'op:end', 'batch:end'] as const;

/** Subscribes `progress` to an engine's events; returns the function that unsubscribes. */
export function attachProgress(events: NodeJS.EventEmitter, progress: BatchProgress): () => void {
  if (!progress.enabled) return () => undefined;
  const listener = (event: BatchEvent) => progress.handle(event);
  for (const type of BATCH_EVENT_TYPES) events.on(type, listener);
  return () => {
    for (const type of BATCH_EVENT_TYPES) events.off(type, listener);
    progress.clear();
  };
}
