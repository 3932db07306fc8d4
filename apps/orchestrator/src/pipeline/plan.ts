import { describeOptions, type ModeDefinition, type ModeRegistry, type ValidationIssue } from '@sparc/batch-core';
import { ConfigError } from '../config/errors';
import type { SparcConfig } from '../config/load';
import type { ModeInvocationConfig, PipelineConfig, StageEntryConfig, StepConfig } from '../config/schema';
import { DEFAULT_PIPELINE, DEFAULT_PIPELINE_NAME, MODE_DEFAULTS } from './default-pipeline';
import { PipelineError } from './errors';

/** One command of a mode with its final options (schema defaults are applied when it runs). */
export interface PlannedStep {
  command?: string;
  options: Record<string, unknown>;
}

export interface PlannedMode {
  name: string;
  mode: ModeDefinition;
  steps: PlannedStep[];
  /** Where the command and options came from, for messages: `defaults.tdd + sparc.config.json pipelines.ci.stages[2].modes[1]`. */
  source: string;
}

export interface PlannedStage {
  name: string;
  concurrency?: number;
  modes: PlannedMode[];
}

export interface PipelinePlan {
  name: string;
  stages: PlannedStage[];
}

export interface PlanOptions {
  pipeline?: string;
  only?: string[];
  /** Workspace-relative spec file, given to any string option named `spec` that is not set. */
  specFile?: string;
}

interface Invocation {
  steps: StepConfig[];
  sources: string[];
}

function pipelineOf(config: SparcConfig, requested: string | undefined): { name: string; pipeline: PipelineConfig; where: (path: string) => string } {
  const name = requested ?? config.pipeline ?? DEFAULT_PIPELINE_NAME;
  const fromConfig = Object.hasOwn(config.pipelines, name) ? config.pipelines[name] : undefined;
  if (fromConfig) return { name, pipeline: fromConfig, where: (path) => `${config.source} pipelines.${name}.${path}` };
  if (name === DEFAULT_PIPELINE_NAME) return { name, pipeline: DEFAULT_PIPELINE, where: (path) => `built-in pipeline "${name}" ${path}` };
  const known = [DEFAULT_PIPELINE_NAME, ...Object.keys(config.pipelines).filter((n) => n !== DEFAULT_PIPELINE_NAME)];
  if (requested === undefined) {
    throw new ConfigError(config.source, [{ path: 'pipeline', message: `unknown pipeline "${name}" (known: ${known.join(', ')})` }]);
  }
  throw new PipelineError('UNKNOWN_PIPELINE', `unknown pipeline "${name}" (known: ${known.join(', ')})`, [{ path: 'pipeline', message: `unknown pipeline "${name}"` }]);
}

/** The built-in default for the mode, overlaid with the config's `defaults.<mode>`. */
function baseInvocation(name: string, config: SparcConfig): Invocation {
  const builtin = MODE_DEFAULTS[name];
  const user: ModeInvocationConfig | undefined = Object.hasOwn(config.defaults, name) ? config.defaults[name] : undefined;
  const builtinSteps: StepConfig[] = builtin?.steps ?? [{ ...(builtin?.command ? { command: builtin.command } : {}), options: builtin?.options ?? {} }];
  if (!user) return { steps: builtinSteps, sources: builtin ? [`built-in default for "${name}"`] : [] };
  const sources = [`${config.source} defaults.${name}`];
  if (user.steps) return { steps: user.steps, sources };
  const command = user.command ?? builtin?.command;
  // Options written for another command do not carry over.
  const inherited = command === builtin?.command && !builtin?.steps ? (builtin?.options ?? {}) : {};
  return { steps: [{ ...(command ? { command } : {}), options: { ...inherited, ...(user.options ?? {}) } }], sources };
}

function entryInvocation(entry: StageEntryConfig, config: SparcConfig, where: string): Invocation {
  const base = baseInvocation(entry.name, config);
  if (entry.steps) return { steps: entry.steps, sources: [where] };
  if (entry.command === undefined && entry.options === undefined) return base;
  if (base.steps.length > 1 && entry.command === undefined) {
    throw new PipelineError('PIPELINE_INVALID', `${where}: mode "${entry.name}" runs several steps (${base.sources.join(', ')}); give "steps" with options per step`, [
      { path: where, message: 'options for a mode that runs steps' },
    ]);
  }
  const [baseStep] = base.steps;
  const command = entry.command ?? baseStep.command;
  const inherited = command === baseStep.command && base.steps.length === 1 ? (baseStep.options ?? {}) : {};
  return { steps: [{ ...(command ? { command } : {}), options: { ...inherited, ...(entry.options ?? {}) } }], sources: [...base.sources, where] };
}

/** Sets a string option named `spec` to the run's spec file when nothing else set it. */
function withSpecFile(mode: ModeDefinition, step: StepConfig, specFile: string | undefined): PlannedStep {
  const options = { ...(step.options ?? {}) };
  const schema = step.command !== undefined ? (Object.hasOwn(mode.commands, step.command) ? mode.commands[step.command].options : undefined) : mode.options;
  if (specFile !== undefined && schema && options.spec === undefined && describeOptions(schema).some((o) => o.name === 'spec' && o.type === 'string')) {
    options.spec = specFile;
  }
  return { ...(step.command !== undefined ? { command: step.command } : {}), options };
}

function selectOnly(stages: PipelineConfig['stages'], only: string[] | undefined, pipelineName: string): PipelineConfig['stages'] {
  if (!only || only.length === 0) return stages;
  const stageNames = stages.map((s) => s.name);
  const modeNames = stages.flatMap((s) => s.modes.map((m) => m.name));
  const unknown = only.filter((item) => !stageNames.includes(item) && !modeNames.includes(item));
  if (unknown.length > 0) {
    throw new PipelineError(
      'UNKNOWN_ONLY',
      `--only: ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} neither a stage nor a mode of pipeline "${pipelineName}" (stages: ${stageNames.join(', ')}; modes: ${modeNames.join(', ')})`,
      unknown.map((u) => ({ path: 'only', message: `unknown stage or mode "${u}"` })),
    );
  }
  return stages
    .map((stage) => (only.includes(stage.name) ? stage : { ...stage, modes: stage.modes.filter((m) => only.includes(m.name)) }))
    .filter((stage) => stage.modes.length > 0);
}

/**
 * Turns the chosen pipeline into stages of runnable modes with their commands and options.
 * Every mode the run needs must be registered; problems name the config file and field.
 */
export function planPipeline(config: SparcConfig, registry: ModeRegistry, options: PlanOptions = {}): PipelinePlan {
  const { name, pipeline, where } = pipelineOf(config, options.pipeline);
  const known = registry.names();
  const defaultIssues: ValidationIssue[] = Object.keys(config.defaults)
    .filter((mode) => !registry.has(mode))
    .map((mode) => ({ path: `defaults.${mode}`, message: `unknown mode "${mode}" (known: ${known.join(', ') || 'none'})` }));
  if (defaultIssues.length > 0) throw new ConfigError(config.source, defaultIssues);

  const indexed = pipeline.stages.map((stage, i) => ({ ...stage, modes: stage.modes.map((entry, j) => ({ ...entry, at: `stages[${i}].modes[${j}]` })) }));
  const selected = selectOnly(indexed, options.only, name) as typeof indexed;
  const missing: ValidationIssue[] = [];
  const stages: PlannedStage[] = selected.map((stage) => ({
    name: stage.name,
    ...(stage.concurrency !== undefined ? { concurrency: stage.concurrency } : {}),
    modes: stage.modes.flatMap((entry): PlannedMode[] => {
      if (!registry.has(entry.name)) {
        missing.push({ path: `${entry.at}.name`, message: `unknown mode "${entry.name}" (known: ${known.join(', ') || 'none'})` });
        return [];
      }
      const mode = registry.get(entry.name);
      const invocation = entryInvocation(entry, config, where(entry.at));
      return [{ name: entry.name, mode, steps: invocation.steps.map((step) => withSpecFile(mode, step, options.specFile)), source: invocation.sources.join(' + ') || where(entry.at) }];
    }),
  }));
  if (missing.length > 0) {
    if (Object.hasOwn(config.pipelines, name)) throw new ConfigError(config.source, missing.map((m) => ({ ...m, path: `pipelines.${name}.${m.path}` })));
    throw new PipelineError('UNKNOWN_MODE', `pipeline "${name}": ${missing.map((m) => `${m.path}: ${m.message}`).join('; ')}`, missing);
  }
  return { name, stages };
}
