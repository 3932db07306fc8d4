/*
 * Input and output schemas of the MCP tools. Inputs are checked by the SDK before a tool runs
 * (a mismatch comes back as a tool error naming the field); outputs describe `structuredContent`
 * and are sent to clients as JSON Schema, so they list what the engine really returns and stay
 * open (`looseObject`) where batch-core may add fields.
 */
import { batchInputSchema, builtinHandlers, operationInputSchema } from '@sparc/batch-core';
import { z } from 'zod';

const OPERATION_TYPES = builtinHandlers.map((h) => h.type) as [string, ...string[]];

export const operationSchema = operationInputSchema.extend({
  type: z.enum(OPERATION_TYPES).describe('Operation type'),
  params: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Parameters of the operation type, e.g. file.write { path, content }, exec { command, args }, search.grep { pattern, include }'),
});

export const batchSchema = batchInputSchema.omit({ $schema: true }).extend({
  operations: z.array(operationSchema).min(1, 'a batch needs at least one operation').describe('Operations; dependsOn names other ids of the batch'),
});

export const errorInfoSchema = z.looseObject({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() });

const operationStatus = z.enum(['succeeded', 'failed', 'skipped', 'cancelled', 'timed-out']);

export const operationResultSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  status: operationStatus,
  output: z.unknown().optional(),
  error: errorInfoSchema.optional(),
  attempts: z.number(),
  startMs: z.number(),
  durationMs: z.number(),
});

export const batchMetricsSchema = z.looseObject({
  label: z.string().optional(),
  operations: z.number(),
  wallMs: z.number(),
  sumOpMs: z.number(),
  speedup: z.number(),
  peakInFlight: z.number(),
  concurrency: z.number(),
  successRate: z.number(),
  counts: z.record(z.string(), z.number()),
});

export const batchResultSchema = z.looseObject({
  label: z.string().optional(),
  status: z.enum(['succeeded', 'partial', 'failed']),
  dryRun: z.boolean(),
  atomic: z.boolean(),
  results: z.array(operationResultSchema),
  metrics: batchMetricsSchema,
  diff: z.string().optional(),
  committed: z.boolean().optional(),
  commitError: errorInfoSchema.optional(),
});

export const initInputSchema = z.strictObject({
  name: z.string().describe('Project name: lower-case letters, digits, ".", "_" or "-" (an npm package name)'),
  dir: z.string().min(1).optional().describe('Folder of the new workspace, relative to the server workspace (default: NAME); must not exist or be empty'),
});

export const initOutputSchema = z.looseObject({
  name: z.string(),
  root: z.string().describe('Absolute path of the new workspace'),
  path: z.string().optional().describe('The same, relative to the server workspace'),
  files: z.array(z.string()),
  batch: z.looseObject({ status: z.string(), committed: z.boolean(), operations: z.number(), wallMs: z.number() }),
});

export const PERF_ACTIONS = ['summary', 'trends', 'compare', 'clear'] as const;

export const perfInputSchema = z.strictObject({
  action: z.enum(PERF_ACTIONS).default('summary').describe('summary: recorded runs; trends: recent vs earlier; compare: run `batch` at its concurrency and at 1; clear: delete the records'),
  batch: batchSchema.optional().describe('compare only: the batch to run twice (mind batches that change files)'),
  concurrency: z.number().int().min(2).max(10_000).optional().describe('compare only: concurrency to measure against 1 (default: the batch\'s own, else 6)'),
});

export const perfOutputSchema = z.looseObject({
  action: z.enum(PERF_ACTIONS),
  summary: z.looseObject({ runs: z.number() }).optional(),
  recommendations: z.array(z.unknown()).optional(),
  trends: z.looseObject({ labels: z.array(z.unknown()) }).optional(),
  comparison: z.looseObject({ concurrency: z.number(), batchWallMs: z.number(), sequentialWallMs: z.number(), ratio: z.number().nullable(), comparable: z.boolean() }).optional(),
  removed: z.number().optional(),
});

export const listModesInputSchema = z.strictObject({});

export const modeListingSchema = z.looseObject({
  name: z.string(),
  summary: z.string(),
  source: z.enum(['builtin', 'custom']),
  commands: z.array(z.string()),
  /** JSON Schema of the mode's options: what `sparc_run_mode` accepts as `options`. */
  options: z.record(z.string(), z.unknown()),
  commandOptions: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const listModesOutputSchema = z.looseObject({ modes: z.array(modeListingSchema) });

export const runModeInputSchema = z.strictObject({
  mode: z.string().min(1).describe('Mode name (see sparc_list_modes)'),
  command: z.string().min(1).optional().describe('Subcommand of the mode, when it has some'),
  options: z.record(z.string(), z.unknown()).default({}).describe('Options, validated against the mode\'s schema (see sparc_list_modes)'),
});

const findingSchema = z.looseObject({
  severity: z.enum(['error', 'warning', 'info']),
  rule: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
});

export const runModeOutputSchema = z.looseObject({
  runId: z.string(),
  mode: z.string(),
  command: z.string().optional(),
  status: z.enum(['passed', 'warning', 'failed']),
  summary: z.string(),
  findings: z.array(findingSchema),
  data: z.unknown().optional(),
  artifacts: z.array(z.string()),
  durationMs: z.number(),
});

export const runPipelineInputSchema = z.strictObject({
  spec: z.string().min(1).optional().describe('Spec file, relative to the workspace (default: sparc.spec.json|yaml at its root)'),
  pipeline: z.string().min(1).optional().describe('Named pipeline from sparc.config.* (default: the SPARC pipeline)'),
  only: z.array(z.string().min(1)).min(1).optional().describe('Run only these modes'),
  keepGoing: z.boolean().optional().describe('Go on after a stage fails'),
  concurrency: z.number().int().min(1).max(10_000).optional().describe('Operations in flight per stage'),
});

const stageStatus = z.enum(['passed', 'warning', 'failed', 'skipped']);

/** summary.json of the run. */
const pipelineSummarySchema = z.looseObject({
  runId: z.string(),
  status: z.enum(['passed', 'warning', 'failed']),
  stages: z.array(
    z.looseObject({
      name: z.string(),
      status: stageStatus,
      durationMs: z.number(),
      modes: z.array(z.looseObject({ name: z.string(), status: stageStatus, durationMs: z.number(), findings: z.array(findingSchema) })),
    }),
  ),
});

export const runPipelineOutputSchema = z.looseObject({
  runId: z.string(),
  status: z.enum(['passed', 'warning', 'failed']),
  reportDir: z.string().describe('Absolute path of .sparc/reports/<runId>/'),
  summary: pipelineSummarySchema,
});
