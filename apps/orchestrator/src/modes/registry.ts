/* eslint-disable @typescript-eslint/no-require-imports -- each mode's package loads when that mode is first read */
import { ModeRegistry } from '@sparc/batch-core';

/**
 * The modes `sparc` ships with. Each built-in mode is registered here by name with a loader, so
 * `sparc architect` loads the architect package alone and not, say, the integration mode's JSON
 * Schema compiler; listing the modes loads them all. The CLI, the pipeline and the MCP server only
 * ever read the registry, so adding a mode never touches them.
 */
export function createModeRegistry(): ModeRegistry {
  return new ModeRegistry()
    .registerLazy('spec', () => (require('./builtin/spec/mode') as typeof import('./builtin/spec/mode')).specMode)
    .registerLazy('debug', () => (require('./builtin/debug/mode') as typeof import('./builtin/debug/mode')).debugMode)
    .registerLazy('security-review', () => (require('./builtin/security/mode') as typeof import('./builtin/security/mode')).securityReviewMode)
    .registerLazy('optimization', () => (require('./builtin/optimization/mode') as typeof import('./builtin/optimization/mode')).optimizationMode)
    .registerLazy('integration', () => (require('@sparc/integration') as typeof import('@sparc/integration')).integrationMode)
    .registerLazy('code', () => (require('@sparc/code') as typeof import('@sparc/code')).codeMode)
    .registerLazy('tdd', () => (require('@sparc/tdd') as typeof import('@sparc/tdd')).tddMode)
    .registerLazy('architect', () => (require('@sparc/architect') as typeof import('@sparc/architect')).architectMode);
}
