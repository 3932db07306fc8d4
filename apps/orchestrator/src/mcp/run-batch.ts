import type { BatchEngine, BatchResult, OperationResult, RunOptions } from '@sparc/batch-core';
import type { ProgressReporter } from './progress';

/**
 * Runs a batch on the server's engine and puts the results back in the order the batch listed
 * them (the engine reports them as they finish). With `progress`, each finished operation is
 * reported as it ends.
 */
export async function executeBatch(engine: BatchEngine, batch: { operations: Array<{ id: string }> }, options: RunOptions & { progress?: ProgressReporter }): Promise<BatchResult> {
  const { progress, ...runOptions } = options;
  let result: BatchResult | undefined;
  if (!progress) {
    result = await engine.run(batch, runOptions);
  } else {
    const total = batch.operations.length;
    let done = 0;
    for await (const event of engine.stream(batch, runOptions)) {
      if (event.type === 'op:end') progress(`${event.result.id} ${event.result.status}`, ++done, total);
      else if (event.type === 'batch:end') result = event.result;
    }
  }
  if (!result) throw new Error('the batch ended without a result');
  return { ...result, results: inBatchOrder(result.results, batch.operations) };
}

function inBatchOrder(results: OperationResult[], operations: Array<{ id: string }>): OperationResult[] {
  const position = new Map(operations.map((op, i) => [op.id, i]));
  return [...results].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

/** One line on what went wrong in a batch, for a tool error's first text. */
export function describeBatchFailure(result: BatchResult): string {
  const notOk = result.results.filter((r) => r.status !== 'succeeded');
  const counts = Object.entries(result.metrics.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const first = notOk.find((r) => r.error) ?? notOk[0];
  const detail = first ? `; first: "${first.id}" ${first.status}${first.error ? ` (${first.error.code}: ${first.error.message})` : ''}` : '';
  const commit = result.commitError ? `; commit failed and was rolled back (${result.commitError.code}: ${result.commitError.message})` : '';
  return `batch ${result.status}: ${counts}${detail}${commit}`;
}

/** Every operation succeeded and an atomic batch's changes were written. */
export function batchSucceeded(result: BatchResult): boolean {
  return result.status === 'succeeded' && !result.commitError;
}
