import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createServerContext, type ServerContext, type SparcMcpOptions } from './context';
import { registerBatchTool } from './tools/batch';
import { registerInitTool } from './tools/init';
import { registerModeTools } from './tools/modes';
import { registerPerfTool } from './tools/perf';
import { registerPipelineTool } from './tools/pipeline';

export const SERVER_NAME = 'sparc';

export interface SparcMcpServer {
  server: McpServer;
  context: ServerContext;
  /** Closes the connection and the engine (and its worker pool). */
  close(): Promise<void>;
}

/** The sparc MCP server with every tool registered, not yet connected to a transport. */
export async function createSparcMcpServer(options: SparcMcpOptions & { version: string }): Promise<SparcMcpServer> {
  const context = await createServerContext(options);
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version },
    {
      capabilities: { tools: {} },
      instructions:
        'sparc runs batches of file, search, exec and HTTP operations concurrently in one workspace, and SPARC modes and pipelines on it. ' +
        'Prefer one batch_execute call with many operations over many calls. Paths are relative to the workspace.',
    },
  );
  registerBatchTool(server, context);
  registerPerfTool(server, context);
  registerInitTool(server, context);
  registerModeTools(server, context);
  registerPipelineTool(server, context);
  let closed = false;
  return {
    server,
    context,
    async close() {
      if (closed) return;
      closed = true;
      await server.close().catch(() => undefined);
      await context.close();
    },
  };
}
