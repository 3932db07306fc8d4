import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describeValidation } from '../cli/errors';

/**
 * A tool's answer: the structured result, and the same JSON as text for clients that read only
 * `content` (the MCP spec asks tools with structured output to send both).
 */
export function toolResult(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

/**
 * Work that ran and failed (a batch with failed operations, a failed mode): a tool error, so
 * the client knows without reading the data, with the full result as evidence.
 */
export function toolFailure(summary: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: summary }, { type: 'text', text: JSON.stringify(data) }], structuredContent: data, isError: true };
}

/** Input the tool cannot use, or an error before any work: a tool error whose text a person or agent can act on. */
export function toolError(error: unknown): CallToolResult {
  return { content: [{ type: 'text', text: describeError(error) }], isError: true };
}

export function describeError(error: unknown): string {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const issues = (error as { issues?: unknown } | null)?.issues;
  const detailed = Array.isArray(issues) ? describeValidation(message, issues as Array<{ path: string; message: string }>) : message;
  return code && !detailed.startsWith(code) ? `${code}: ${detailed}` : detailed;
}
