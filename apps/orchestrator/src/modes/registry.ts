import { ModeRegistry } from '@sparc/batch-core';
import { debugMode, optimizationMode, securityReviewMode, specMode } from './builtin';
import { integrationMode } from '@sparc/integration';
import { codeMode } from '@sparc/code';
import { tddMode } from '@sparc/tdd';
import { architectMode } from '@sparc/architect';

/**
 * The modes `sparc` ships with. Each built-in mode is registered here (`registry.register(mode)`);
 * the CLI, the pipeline and the MCP server only ever read the registry, so adding a mode never
 * touches them.
 */
export function createModeRegistry(): ModeRegistry {
  const registry = new ModeRegistry();
  registry.register(specMode).register(debugMode).register(securityReviewMode).register(optimizationMode);
  registry.register(integrationMode);
  registry.register(codeMode);
  registry.register(tddMode);
  registry.register(architectMode);
  return registry;
}
