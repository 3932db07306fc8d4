import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  BatchEngine,
  createModeContext,
  findSpecFile,
  loadSpec,
  newRunId,
  optionsJsonSchema,
  PerformanceMonitor,
  runMode,
  type BatchMetrics,
  type ModeDefinition,
  type SparcSpec,
} from '@sparc/batch-core';
import type { ServerContext } from '../context';
import { progressReporter, type ProgressReporter } from '../progress';
import { toolError, toolFailure, toolResult } from '../results';
import { listModesInputSchema, listModesOutputSchema, runModeInputSchema, runModeOutputSchema } from '../schemas';

function listing(mode: ModeDefinition, source: string): Record<string, unknown> {
  const commands = Object.entries(mode.commands);
  return {
    name: mode.name,
    summary: mode.summary,
    source,
    commands: commands.map(([name]) => name),
    options: optionsJsonSchema(mode.options),
    commandOptions: Object.fromEntries(commands.map(([name, command]) => [name, optionsJsonSchema(command.options)])),
  };
}

/** The workspace's spec, as a mode run from the CLI sees it; an invalid spec is logged and left out. */
async function workspaceSpec(ctx: ServerContext): Promise<SparcSpec | undefined> {
  const file = await findSpecFile(ctx.workspace.root);
  if (!file) return undefined;
  try {
    return await loadSpec(file);
  } catch (error) {
    ctx.log(`warning: ${error instanceof Error ? error.message : String(error)} (the mode runs without a spec)`);
    return undefined;
  }
}

export function registerModeTools(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'sparc_list_modes',
    {
      title: 'List SPARC modes',
      description: 'The modes sparc_run_mode can run (built-in and custom), with their subcommands and the JSON Schema of their options.',
      inputSchema: listModesInputSchema,
      outputSchema: listModesOutputSchema,
      annotations: { readOnlyHint: true },
    },
    async () => {
      try {
        const registry = await ctx.modes();
        const modes = registry.list().map((entry) => listing(registry.get(entry.name), entry.source));
        return toolResult({ modes });
      } catch (error) {
        return toolError(error);
      }
    },
  );

  server.registerTool(
    'sparc_run_mode',
    {
      title: 'Run a SPARC mode',
      description:
        'Runs one mode (or one of its subcommands) in the server workspace with options checked against its schema (see sparc_list_modes). ' +
        'Returns status, summary, findings, the mode\'s data and the report files it wrote under .sparc/reports/<runId>/<mode>/.',
      inputSchema: runModeInputSchema,
      outputSchema: runModeOutputSchema,
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    async (input, extra) => {
      let engine: BatchEngine | undefined;
      let progress: ProgressReporter | undefined;
      try {
        const registry = await ctx.modes();
        const mode = registry.get(input.mode);
        const runId = newRunId();
        const monitor = new PerformanceMonitor(ctx.workspace.root);
        const recorder = { record: (metrics: BatchMetrics) => monitor.record(metrics, { kind: 'mode', runId, mode: mode.name }) };
        // Its own engine (so its runs are recorded as the mode's) with the server's exec allow-list and shared worker pool.
        engine = new BatchEngine({ workspace: ctx.workspace, registry: ctx.policy.guardedRegistry(), monitor: recorder, pool: () => ctx.engine.pool() });
        const spec = await workspaceSpec(ctx);
        const report = progressReporter(extra, ctx.log);
        progress = report;
        const result = await runMode(
          mode,
          createModeContext({ workspace: ctx.workspace, mode: mode.name, engine, runId, signal: extra.signal, progress: (message) => report(`${mode.name}: ${message}`), ...(spec ? { spec } : {}) }).ctx,
          input.options,
          input.command !== undefined ? { command: input.command } : {},
        );
        const data = { runId, ...result } as Record<string, unknown>;
        return result.status === 'failed' ? toolFailure(result.summary, data) : toolResult(data);
      } catch (error) {
        return toolError(error);
      } finally {
        await engine?.close();
        await progress?.settled();
      }
    },
  );
}
