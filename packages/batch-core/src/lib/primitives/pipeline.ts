import { ValidationError } from '../errors';
import { parallel, type ParallelOptions } from './parallel';

export interface PipelineStage<I = unknown, O = unknown> {
  name: string;
  /** `parallel`: the stage's tasks run concurrently; `sequential`: one after another. @default 'parallel' */
  mode?: 'parallel' | 'sequential';
  /** Each task receives the previous stage's outputs (undefined for the first stage). */
  tasks: ReadonlyArray<(input: I, signal: AbortSignal) => O | Promise<O>>;
  concurrency?: number;
}

export interface PipelineStageResult {
  name: string;
  mode: 'parallel' | 'sequential';
  outputs: unknown[];
  durationMs: number;
}

/**
 * Stages run in order; inside a stage the tasks run in parallel or sequentially. A failing task
 * stops the pipeline with its error (later stages do not start).
 */
export async function pipeline(stages: ReadonlyArray<PipelineStage<never, unknown>>, options: Omit<ParallelOptions, 'concurrency'> = {}): Promise<PipelineStageResult[]> {
  const results: PipelineStageResult[] = [];
  const names = new Set<string>();
  stages.forEach((stage, i) => {
    if (!stage || typeof stage.name !== 'string' || stage.name.length === 0) throw new ValidationError(`stages[${i}].name must be a non-empty string`, [{ path: `stages[${i}].name`, message: 'required' }]);
    if (names.has(stage.name)) throw new ValidationError(`stage name "${stage.name}" is used twice`, [{ path: `stages[${i}].name`, message: 'duplicate' }]);
    names.add(stage.name);
    if (stage.mode !== undefined && stage.mode !== 'parallel' && stage.mode !== 'sequential') {
      throw new ValidationError(`stages[${i}].mode must be "parallel" or "sequential" (got ${JSON.stringify(stage.mode)})`, [{ path: `stages[${i}].mode`, message: 'invalid' }]);
    }
    if (!Array.isArray(stage.tasks)) throw new ValidationError(`stages[${i}].tasks must be an array of functions`, [{ path: `stages[${i}].tasks`, message: 'required' }]);
  });
  let input: unknown = undefined;
  for (const stage of stages) {
    const mode = stage.mode ?? 'parallel';
    const started = performance.now();
    const stageInput = input;
    const outputs = await parallel(
      stage.tasks.map((task) => (signal: AbortSignal) => task(stageInput as never, signal)),
      { ...options, concurrency: mode === 'sequential' ? 1 : (stage.concurrency ?? Math.max(1, stage.tasks.length)) },
    );
    results.push({ name: stage.name, mode, outputs, durationMs: Math.round((performance.now() - started) * 1000) / 1000 });
    input = outputs;
  }
  return results;
}
