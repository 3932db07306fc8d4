import type * as Pipeline from '../pipeline';

export type RunPipeline = typeof Pipeline.runPipeline;

/** The pipeline runner of src/pipeline, loaded on the first pipeline call (it brings the report writer with it). */
export function loadRunPipeline(): RunPipeline {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, like the mode packages
  return (require('../pipeline') as typeof Pipeline).runPipeline;
}
