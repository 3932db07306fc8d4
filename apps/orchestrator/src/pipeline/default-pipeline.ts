import type { ModeInvocationConfig, PipelineConfig } from '../config/schema';

/** The name `sparc run` uses without `--pipeline` (and without a `pipeline` in the config). */
export const DEFAULT_PIPELINE_NAME = 'sparc';

/** DESIGN.md's SPARC pipeline: each stage's modes run in parallel, the stages in order. */
export const DEFAULT_PIPELINE: PipelineConfig = {
  description: 'Specification, architecture, implementation, quality and integration',
  stages: [
    { name: 'specification', modes: [{ name: 'spec' }] },
    { name: 'architecture', modes: [{ name: 'architect' }] },
    { name: 'implementation', modes: [{ name: 'code' }, { name: 'tdd' }] },
    { name: 'quality', modes: [{ name: 'debug' }, { name: 'security-review' }, { name: 'optimization' }] },
    { name: 'integration', modes: [{ name: 'integration' }] },
  ],
};

/**
 * What a stage runs for a mode it lists by name, when neither the stage entry nor the config's
 * `defaults.<mode>` says otherwise. Modes not listed run their own default command with their
 * schema's defaults. Besides these, any string option named `spec` is set to the run's spec file
 * (workspace-relative) when nothing else sets it.
 */
export const MODE_DEFAULTS: Readonly<Record<string, ModeInvocationConfig>> = {
  // Modules for every entity of the spec, written atomically.
  code: { command: 'generate' },
  // Tests from the spec's entities and acceptance criteria, written before the code exists; the
  // quality stage's `debug` runs them once `code` has written the implementation.
  tdd: { command: 'generate' },
  // Start the spec's services, wait for health, check their contracts, stop them.
  integration: { command: 'check' },
};
