import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerContext } from '../context';
import { progressReporter, wantsProgress } from '../progress';
import { toolError, toolFailure, toolResult } from '../results';
import { batchSucceeded, describeBatchFailure, executeBatch } from '../run-batch';
import { batchResultSchema, batchSchema } from '../schemas';

const DESCRIPTION = `Runs a batch of operations concurrently in the server's workspace and returns one result per operation.
Operation types: file.read, file.write, file.edit, file.mkdir, file.delete, file.copy, file.move, search.glob, search.grep, exec, http.request, cpu.
Paths are relative to the workspace and cannot leave it. dependsOn orders operations; atomic: true writes every file change at the end or none; dryRun: true changes nothing and returns the diff.
exec (and cpu) operations run only the commands the server was started with (--allow-exec); a batch with a refused operation runs nothing.`;

export function registerBatchTool(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'batch_execute',
    {
      title: 'Run a batch of operations',
      description: DESCRIPTION,
      inputSchema: batchSchema,
      outputSchema: batchResultSchema,
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    async (batch, extra) => {
      const progress = progressReporter(extra, ctx.log);
      try {
        ctx.policy.assertBatchAllowed(batch);
        const result = await executeBatch(ctx.engine, batch, { signal: extra.signal, ...(wantsProgress(extra) ? { progress } : {}) });
        const data = result as unknown as Record<string, unknown>;
        return batchSucceeded(result) ? toolResult(data) : toolFailure(describeBatchFailure(result), data);
      } catch (error) {
        return toolError(error);
      } finally {
        // The answer goes out after every progress notification of the call (see ProgressReporter.settled).
        await progress.settled();
      }
    },
  );
}
