import type { ModeResult } from '@sparc/batch-core';
import type { TaskDef, TaskResult, Upstream } from '../model/types';

function isModeResult(value: unknown): value is ModeResult {
  const v = value as Partial<ModeResult> | null;
  return !!v && typeof v === 'object' && typeof v.status === 'string' && typeof v.summary === 'string' && Array.isArray(v.findings) && Array.isArray(v.artifacts);
}

/**
 * What a task's dependencies pass on: the results of the mode tasks it depends on, by mode name
 * (the shape `ctx.upstream` has in a pipeline). Only mode tasks have mode results to pass.
 */
export function upstreamFrom(task: TaskDef, taskOf: (id: string) => TaskDef | undefined, resultOf: (id: string) => TaskResult | undefined): Upstream {
  const upstream: Upstream = {};
  for (const dep of task.dependsOn) {
    const depTask = taskOf(dep);
    const result = resultOf(dep);
    if (!depTask?.mode || !result || !isModeResult(result.output)) continue;
    const { status, summary, findings, data, artifacts } = result.output;
    upstream[depTask.mode.name] = { status, summary, findings, data, artifacts };
  }
  return upstream;
}
