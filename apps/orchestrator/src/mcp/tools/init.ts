import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { assertProjectName, initWorkspace } from '../../init';
import type { ServerContext } from '../context';
import { toolError, toolResult } from '../results';
import { initInputSchema, initOutputSchema } from '../schemas';

const DESCRIPTION = `Creates a new workspace inside the server workspace, like "sparc init NAME": package.json, tsconfig.json, jest config, src/ with a module and its test,
sparc.spec.json, sparc.config.json and a swarm plan (sparc.swarm.json), written in one atomic batch (all files or none). The folder must be new or empty.`;

export function registerInitTool(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'project_init_batch',
    { title: 'Create a new sparc workspace', description: DESCRIPTION, inputSchema: initInputSchema, outputSchema: initOutputSchema, annotations: { destructiveHint: false } },
    async (input, extra) => {
      try {
        assertProjectName(input.name);
        // Checked against the server's root first: a client cannot create a project elsewhere.
        const root = await ctx.workspace.resolveReal(input.dir ?? input.name);
        if (root === ctx.workspace.root) throw new Error('the new workspace needs its own folder inside the server workspace, not the server workspace itself');
        const result = await initWorkspace({ name: input.name, root, signal: extra.signal });
        return toolResult({ ...result, path: ctx.workspace.relative(result.root) });
      } catch (error) {
        return toolError(error);
      }
    },
  );
}
