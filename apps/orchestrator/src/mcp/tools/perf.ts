import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { compareConcurrency, PerformanceMonitor, type BatchResult } from '@sparc/batch-core';
import type { ServerContext } from '../context';
import { toolError, toolFailure, toolResult } from '../results';
import { perfInputSchema, perfOutputSchema } from '../schemas';

const DESCRIPTION = `Performance of the batches run in the workspace, from the runs recorded in .sparc/metrics.jsonl.
action summary (default): runs, operations, wall time, measured speed-up, success rate, recommendations; trends: recent runs against earlier ones;
compare: runs "batch" at its concurrency and at 1 and returns the measured ratio (both runs really happen); clear: deletes the records.`;

export function registerPerfTool(server: McpServer, ctx: ServerContext): void {
  const monitor = new PerformanceMonitor(ctx.workspace.root);
  server.registerTool(
    'batch_performance',
    { title: 'Batch performance', description: DESCRIPTION, inputSchema: perfInputSchema, outputSchema: perfOutputSchema },
    async (input, extra) => {
      try {
        if (input.action !== 'compare' && (input.batch !== undefined || input.concurrency !== undefined)) {
          throw new Error(`"batch" and "concurrency" only apply to action "compare" (got action "${input.action}")`);
        }
        switch (input.action) {
          case 'summary': {
            const summary = await monitor.summary();
            const recommendations = summary.runs > 0 ? await monitor.recommendations() : [];
            return toolResult({ action: 'summary', summary: summary as unknown as Record<string, unknown>, recommendations });
          }
          case 'trends':
            return toolResult({ action: 'trends', trends: (await monitor.trends()) as unknown as Record<string, unknown> });
          case 'clear':
            return toolResult({ action: 'clear', removed: await monitor.clear() });
          case 'compare': {
            if (!input.batch) throw new Error('action "compare" needs a "batch" to run');
            ctx.policy.assertBatchAllowed(input.batch);
            const concurrency = input.concurrency ?? ctx.engine.validate(input.batch).concurrency;
            if (concurrency < 2) throw new Error(`compare measures a concurrency of 2 or more against 1, and the batch runs at ${concurrency}: pass "concurrency"`);
            // Recorded as kind "compare" so the sequential run does not skew the batch statistics.
            const comparison = await compareConcurrency(async (c): Promise<BatchResult> => {
              const result = await ctx.engine.run(input.batch, { signal: extra.signal, concurrency: c, record: false });
              await monitor.record(result.metrics, { kind: 'compare' });
              return result;
            }, concurrency);
            const data = { action: 'compare' as const, comparison: comparison as unknown as Record<string, unknown> };
            const failed = comparison.batchStatus !== 'succeeded' || comparison.sequentialStatus !== 'succeeded';
            return failed ? toolFailure(`compare: the batch ${comparison.batchStatus} at concurrency ${concurrency} and ${comparison.sequentialStatus} at 1`, data) : toolResult(data);
          }
        }
      } catch (error) {
        return toolError(error);
      }
    },
  );
}
