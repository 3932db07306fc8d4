import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerContext } from '../context';
import { loadRunPipeline } from '../pipeline-runner';
import { progressReporter } from '../progress';
import { toolError, toolFailure, toolResult } from '../results';
import { runPipelineInputSchema, runPipelineOutputSchema } from '../schemas';

const DESCRIPTION = `Runs a SPARC pipeline in the server workspace: specification, architecture, implementation (code, tdd), quality (debug, security-review, optimization) and integration, the modes of a stage in parallel.
Returns the run id, status, the report folder (.sparc/reports/<runId>/ with summary.md, summary.json, report.html) and the summary of every stage and mode.`;

export function registerPipelineTool(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'sparc_run_pipeline',
    { title: 'Run a SPARC pipeline', description: DESCRIPTION, inputSchema: runPipelineInputSchema, outputSchema: runPipelineOutputSchema, annotations: { destructiveHint: true, openWorldHint: true } },
    async (input, extra) => {
      const progress = progressReporter(extra, ctx.log);
      try {
        const runPipeline = loadRunPipeline();
        // The spec file may not lead out of the workspace, whatever the client sends.
        const spec = input.spec !== undefined ? await ctx.workspace.resolveReal(input.spec) : undefined;
        const outcome = await runPipeline({
          dir: ctx.workspace.root,
          ...(spec !== undefined ? { spec } : {}),
          ...(input.pipeline !== undefined ? { pipeline: input.pipeline } : {}),
          ...(input.only !== undefined ? { only: input.only } : {}),
          ...(input.keepGoing !== undefined ? { keepGoing: input.keepGoing } : {}),
          ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
          signal: extra.signal,
          progress: (message) => progress(message),
          modes: await ctx.baseModes(),
          operations: ctx.policy.guardedRegistry(),
        });
        const data = { runId: outcome.runId, status: outcome.status, reportDir: outcome.reportDir, summary: outcome.summary };
        return outcome.status === 'failed' ? toolFailure(`pipeline ${outcome.runId} failed; report: ${outcome.reportDir}`, data) : toolResult(data);
      } catch (error) {
        return toolError(error);
      } finally {
        await progress.settled();
      }
    },
  );
}
