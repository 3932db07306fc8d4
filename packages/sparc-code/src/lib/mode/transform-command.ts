import { defineCommand, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { transformFilesMatching } from '../codemod/transform';
import { transformData, type TransformData } from './data';
import { transformOptions, type TransformCommandOptions } from './options';
import { CODE_RULES, count, usageFailure } from './results';

/** `sparc code transform`: a jscodeshift-style transform over every matching file, in the worker pool, committed at once. */
export const transformCommand = defineCommand({
  summary: 'Run a transform module over every file --glob matches in the worker pool and commit the changes atomically',
  options: transformOptions,
  data: transformData.optional(),
  run: (ctx, options) => runTransform(ctx, options),
});

export async function runTransform(ctx: ModeContext, options: TransformCommandOptions): Promise<ModeResult<TransformData | undefined>> {
  ctx.progress(`transforming ${options.glob}`);
  let result;
  try {
    result = await transformFilesMatching(ctx.workspace, { ...options, pool: ctx.pool(), signal: ctx.signal });
  } catch (error) {
    return usageFailure('transform', error);
  }
  const data: TransformData = {
    transform: ctx.workspace.contains(result.transform) ? ctx.workspace.relative(result.transform) : result.transform,
    glob: options.glob,
    dryRun: options.dryRun,
    committed: result.committed,
    created: [],
    updated: result.changed,
    unchanged: result.unchanged,
    skipped: result.skipped,
    matched: result.matched,
    failures: result.failures,
  };
  if (result.diff !== undefined) data.diff = result.diff;
  const tolerated = options.continueOnError && result.changed.length > 0;
  const findings: Finding[] = result.failures.map((f) => ({ severity: tolerated ? 'warning' : 'error', rule: CODE_RULES.transformFailed, message: `${f.path}: ${f.message}`, file: f.path }));
  for (const file of result.skipped) findings.push({ severity: 'info', rule: CODE_RULES.skipped, message: `${file} is binary; left alone`, file });
  const tally = `${count(result.changed.length, 'file')} changed, ${result.unchanged.length} unchanged of ${result.matched} matched`;
  if (result.failures.length > 0) {
    const first = result.failures[0];
    const others = result.failures.length > 1 ? ` (and ${count(result.failures.length - 1, 'more file')})` : '';
    if (!tolerated) {
      return { status: 'failed', summary: `transform failed on ${first.path}: ${first.message}${others}; nothing written`, findings, data, artifacts: [] };
    }
    const done = options.dryRun ? 'dry run, would commit' : 'committed';
    return { status: 'warning', summary: `transform ${done} ${tally}; failed on ${first.path}${others}`, findings, data, artifacts: [] };
  }
  return { status: 'passed', summary: `transform${options.dryRun ? ' (dry run)' : ''}: ${tally}`, findings, data, artifacts: [] };
}
