import { ModeRegistry } from '@sparc/batch-core';

/**
 * The modes `sparc` ships with. Each built-in mode is registered here (`registry.register(mode)`);
 * the CLI, the pipeline and the MCP server only ever read the registry, so adding a mode never
 * touches them.
 */
export function createModeRegistry(): ModeRegistry {
  return new ModeRegistry();
}
