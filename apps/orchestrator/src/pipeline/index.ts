export { runPipeline } from './run-pipeline';
export { planPipeline, type PipelinePlan, type PlannedMode, type PlannedStage, type PlannedStep, type PlanOptions } from './plan';
export { DEFAULT_PIPELINE, DEFAULT_PIPELINE_NAME, MODE_DEFAULTS } from './default-pipeline';
export { PipelineError } from './errors';
export type { ModeOutcome, PipelineRun, RunPipelineOptions, RunPipelineResult, StageOutcome, StageStatus, SummaryJson, SummaryModeJson, SummaryStageJson } from './types';
