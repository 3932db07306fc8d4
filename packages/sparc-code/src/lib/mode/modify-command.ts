import { defineCommand, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { modifyFilesMatching } from '../codemod/modify';
import { modifyData, type ModifyData } from './data';
import { modifyOptions, type ModifyCommandOptions } from './options';
import { CODE_RULES, count, usageFailure } from './results';

/** `sparc code modify`: find and replace across every matching file, in one transaction. */
export const modifyCommand = defineCommand({
  summary: 'Find and replace (text or --regex) in every file --glob matches, all files or none; --expect N guards the count',
  options: modifyOptions,
  data: modifyData.optional(),
  run: (ctx, options) => runModify(ctx, options),
});

export async function runModify(ctx: ModeContext, options: ModifyCommandOptions): Promise<ModeResult<ModifyData | undefined>> {
  ctx.progress(`reading ${options.glob}`);
  let result;
  try {
    result = await modifyFilesMatching(ctx.workspace, { ...options, signal: ctx.signal });
  } catch (error) {
    return usageFailure('modify', error);
  }
  const updated = result.changes.map((c) => c.path);
  const data: ModifyData = {
    glob: options.glob,
    dryRun: options.dryRun,
    committed: result.committed,
    created: [],
    updated,
    unchanged: result.unchanged,
    skipped: result.skipped,
    matched: result.matched,
    replacements: result.replacements,
    changes: result.changes,
  };
  if (options.expect !== undefined) data.expect = options.expect;
  if (result.diff !== undefined) data.diff = result.diff;
  const findings: Finding[] = result.skipped.map((file) => ({ severity: 'info', rule: CODE_RULES.skipped, message: `${file} is binary; left alone`, file }));
  const where = `${count(updated.length, 'file')} of ${result.matched} matched`;
  if (result.expectationFailed) {
    const { expected, actual } = result.expectationFailed;
    const message = `expected ${count(expected, 'replacement')}, found ${actual} (in ${where}); nothing written`;
    findings.push({ severity: 'error', rule: CODE_RULES.expect, message });
    return { status: 'failed', summary: `modify: ${message}`, findings, data, artifacts: [] };
  }
  if (result.replacements === 0) {
    const message = result.matched === 0 ? `no file matches ${options.glob}` : `"${options.find}" occurs in none of the ${count(result.matched, 'matched file')}`;
    findings.push({ severity: 'warning', rule: CODE_RULES.noMatch, message });
    return { status: 'warning', summary: `modify: ${message}; nothing to change`, findings, data, artifacts: [] };
  }
  const done = options.dryRun ? 'dry run, would make' : 'made';
  return { status: 'passed', summary: `modify: ${done} ${count(result.replacements, 'replacement')} in ${where}`, findings, data, artifacts: [] };
}
