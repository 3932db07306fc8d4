import { z } from 'zod';

/**
 * The shape of `sparc.config.{js,cjs,mjs,json}`. Custom modes are listed as `unknown` here: they
 * are functions and zod schemas (or their declarative JSON form), checked by `toModeDefinition`
 * with the same field paths.
 */

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export const modeNameSchema = z.string().regex(KEBAB_CASE, 'must be a kebab-case mode name like "security-review"');
const commandNameSchema = z.string().regex(KEBAB_CASE, 'must be a kebab-case command name like "generate"');
const pipelineNameSchema = z.string().regex(KEBAB_CASE, 'must be a kebab-case pipeline name like "ci"');
const stageNameSchema = z.string().regex(KEBAB_CASE, 'must be a kebab-case stage name like "quality"');

/** Option values as the mode's own zod schema will check them when the mode runs. */
const optionValuesSchema = z.record(z.string(), z.unknown());

/** One command of a mode, run as one step of a pipeline entry. */
export const StepSchema = z
  .object({
    /** The mode's subcommand; absent: the mode's own run. */
    command: commandNameSchema.optional(),
    options: optionValuesSchema.optional(),
  })
  .strict();

const invocationShape = {
  command: commandNameSchema.optional(),
  options: optionValuesSchema.optional(),
  /** Several commands of the mode, in order; the entry's result combines them. */
  steps: z.array(StepSchema).min(1).optional(),
};

function stepsExclusive(value: { command?: string; options?: unknown; steps?: unknown }, ctx: z.RefinementCtx): void {
  if (value.steps !== undefined && (value.command !== undefined || value.options !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['steps'], message: 'give either "steps" or "command"/"options", not both (each step has its own command and options)' });
  }
}

/** How a mode runs when a stage lists it by name: `defaults.<mode>` in the config. */
export const ModeInvocationSchema = z.object(invocationShape).strict().superRefine(stepsExclusive);

/** A stage entry: a mode name, or the name with the command and options to run it with. */
export const StageEntrySchema = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z
    .object({ name: modeNameSchema, ...invocationShape })
    .strict()
    .superRefine(stepsExclusive),
);

export const StageSchema = z
  .object({
    name: stageNameSchema,
    modes: z.array(StageEntrySchema).min(1, 'a stage needs at least one mode'),
    /** At most this many of the stage's modes at once. @default all of them */
    concurrency: z.number().int().min(1).optional(),
  })
  .strict();

/** A pipeline: its stages in order, or `{ description, stages }`. */
export const PipelineSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { stages: value } : value),
  z
    .object({
      description: z.string().optional(),
      stages: z.array(StageSchema).min(1, 'a pipeline needs at least one stage'),
    })
    .strict()
    .superRefine((pipeline, ctx) => {
      const stages = new Set<string>();
      const modes = new Map<string, number>();
      pipeline.stages.forEach((stage, i) => {
        if (stages.has(stage.name)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'name'], message: `stage "${stage.name}" is listed twice` });
        stages.add(stage.name);
        stage.modes.forEach((entry, j) => {
          // Results reach later modes by mode name (ctx.upstream) and reports by folder: one run per name.
          if (modes.has(entry.name)) {
            ctx.addIssue({ code: 'custom', path: ['stages', i, 'modes', j, 'name'], message: `mode "${entry.name}" already runs in stage ${modes.get(entry.name)}; a pipeline runs each mode once (use "steps" for several commands)` });
          }
          modes.set(entry.name, i);
        });
      });
    }),
);

export const SparcConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** The pipeline `sparc run` runs without `--pipeline`. @default "sparc" */
    pipeline: pipelineNameSchema.optional(),
    pipelines: z.record(pipelineNameSchema, PipelineSchema).default({}),
    /** Custom modes: `defineMode(...)` results or plain objects (see `toModeDefinition`). */
    modes: z.array(z.unknown()).default([]),
    /** Per mode: the command and option defaults used wherever a pipeline lists the mode by name. */
    defaults: z.record(modeNameSchema, ModeInvocationSchema).default({}),
  })
  .strict();

export type StepConfig = z.output<typeof StepSchema>;
export type ModeInvocationConfig = z.output<typeof ModeInvocationSchema>;
export type StageEntryConfig = z.output<typeof StageEntrySchema>;
export type StageConfig = z.output<typeof StageSchema>;
export type PipelineConfig = z.output<typeof PipelineSchema>;
export type SparcConfigData = z.output<typeof SparcConfigSchema>;
