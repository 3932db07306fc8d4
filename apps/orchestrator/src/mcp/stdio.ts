import { Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { SparcMcpOptions } from './context';
import { createSparcMcpServer } from './server';

/**
 * Takes stdout for the protocol alone: the transport writes through the original stream, and
 * anything else that writes to stdout (console.log in a custom mode, a library's warning) goes to
 * stderr, where it cannot corrupt a JSON-RPC message.
 */
function claimStdout(): Writable {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  const protocol = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      write(chunk, (error) => callback(error ?? null));
    },
  });
  stdout.write = ((...args: Parameters<typeof process.stderr.write>) => process.stderr.write(...args)) as typeof stdout.write;
  return protocol;
}

/**
 * Serves MCP on stdin/stdout until the client closes stdin or the process gets SIGINT/SIGTERM;
 * resolves when the server has shut down (engine and worker pool closed).
 */
export async function serveStdio(options: SparcMcpOptions & { version: string }): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`sparc mcp: ${line}\n`));
  const sparc = await createSparcMcpServer({ ...options, log });
  const transport = new StdioServerTransport(process.stdin, claimStdout());
  transport.onerror = (error) => log(`transport error: ${error.message}`);

  const stopped = new Promise<string>((resolve) => {
    process.stdin.once('end', () => resolve('stdin closed'));
    process.stdin.once('close', () => resolve('stdin closed'));
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    sparc.server.server.onclose = () => resolve('connection closed');
  });
  await sparc.server.connect(transport);
  const allowed = sparc.context.policy.allowed;
  log(`serving ${sparc.context.workspace.root} on stdio; exec ${allowed.length > 0 ? `allowed for: ${allowed.join(', ')}` : 'refused (no --allow-exec)'}`);
  const reason = await stopped;
  log(`shutting down (${reason})`);
  await sparc.close();
}
