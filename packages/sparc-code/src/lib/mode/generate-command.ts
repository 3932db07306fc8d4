import * as path from 'node:path';
import { defineCommand, loadSpec, type Finding, type ModeContext, type ModeResult, type SparcSpec } from '@sparc/batch-core';
import { applyGeneratedFiles, type ApplyResult } from '../flow/apply-files';
import { planGeneration, type Generation } from '../generate/generators';
import { generateData, type GenerateData } from './data';
import { generateOptions, type GenerateOptions } from './options';
import { CODE_RULES, count, usageFailure } from './results';

/**
 * `sparc code generate [GENERATOR]`: renders the generator's files, formats them, applies the
 * conflict policy and commits them in one transaction (or shows the diff with --dry-run).
 */
export const generateCommand = defineCommand({
  summary: 'Generate files atomically: crud (per entity, or every entity of --spec), module, package, or a .sparc/templates template',
  options: generateOptions,
  positionals: 'generator',
  // No data when the request itself is invalid (a usage failure).
  data: generateData.optional(),
  run: (ctx, options) => runGenerate(ctx, options),
});

export async function runGenerate(ctx: ModeContext, options: GenerateOptions): Promise<ModeResult<GenerateData | undefined>> {
  const label = `generate${options.generator ? ` ${options.generator}` : ''}`;
  let generation: Generation;
  try {
    const spec = await specFor(ctx, options);
    ctx.progress('rendering files');
    generation = await planGeneration(ctx.workspace, {
      generator: options.generator,
      spec,
      entity: options.entity,
      fields: options.fields,
      plural: options.plural,
      name: options.name,
      out: options.out,
      vars: options.vars,
    });
  } catch (error) {
    return usageFailure(label, error);
  }
  ctx.progress(`staging ${count(generation.files.length, 'file')}`);
  const applied = await applyGeneratedFiles(ctx.workspace, generation.files, {
    conflict: options.conflict,
    dryRun: options.dryRun,
    format: options.format,
    // Threads start only when there is something to format.
    pool: () => ctx.pool(),
    signal: ctx.signal,
  });
  return generateResult(generation, applied, options);
}

/** The spec to generate from: `--spec`, else the pipeline's spec when the call names no single entity or other generator. */
async function specFor(ctx: ModeContext, options: Pick<GenerateOptions, 'spec' | 'entity' | 'generator'>): Promise<SparcSpec | undefined> {
  // A spec is only read, so one outside the workspace (an absolute path) is fine.
  if (options.spec !== undefined) return loadSpec(path.isAbsolute(options.spec) ? options.spec : ctx.workspace.resolve(options.spec));
  if (ctx.spec && options.entity === undefined && (options.generator === undefined || options.generator === 'crud')) return ctx.spec;
  return undefined;
}

export function generateResult(generation: Generation, applied: ApplyResult, options: Pick<GenerateOptions, 'dryRun' | 'conflict'>): ModeResult<GenerateData> {
  const findings: Finding[] = [];
  for (const file of applied.files) {
    if (file.action === 'conflict') findings.push({ severity: 'error', rule: CODE_RULES.conflict, message: `${file.path} ${file.reason ?? 'exists'} (use --conflict overwrite or skip)`, file: file.path });
    else if (file.action === 'skip') findings.push({ severity: 'info', rule: CODE_RULES.skipped, message: `${file.path} skipped: ${file.reason ?? 'exists'}`, file: file.path });
  }
  for (const failure of applied.format.failures) findings.push({ severity: 'warning', rule: CODE_RULES.format, message: `Prettier failed on ${failure.path}, written unformatted: ${failure.message}`, file: failure.path });
  for (const note of generation.notes) findings.push({ severity: 'info', rule: CODE_RULES.note, message: note });

  const changes = applied.created.length + applied.updated.length;
  const skippedForConflict = applied.files.some((f) => f.action === 'skip' && f.reason !== undefined && !f.reason.startsWith('exists (shared'));
  const blocked = applied.conflicts.length > 0 || (changes === 0 && skippedForConflict);
  const status = blocked ? 'failed' : applied.format.failures.length > 0 ? 'warning' : 'passed';
  const tally = `${applied.created.length} created, ${applied.updated.length} updated, ${applied.unchanged.length} unchanged, ${applied.skipped.length} skipped`;
  const what = `${generation.generator}${generation.entities.length > 0 ? ` (${count(generation.entities.length, 'entity', 'entities')})` : ''}`;
  let summary: string;
  if (applied.conflicts.length > 0) summary = `${what}: ${count(applied.conflicts.length, 'conflict')} (${applied.conflicts.slice(0, 3).join(', ')}${applied.conflicts.length > 3 ? ', ...' : ''}); nothing written`;
  else if (blocked) summary = `${what}: every changed file was skipped (--conflict ${options.conflict}); nothing written`;
  else if (options.dryRun) summary = `${what}: dry run, would write: ${tally}`;
  else summary = `${what}: ${tally}`;

  const data: GenerateData = {
    generator: generation.generator,
    entities: generation.entities,
    dryRun: options.dryRun,
    committed: applied.committed,
    created: applied.created,
    updated: applied.updated,
    unchanged: applied.unchanged,
    skipped: applied.skipped,
    conflicts: applied.conflicts,
    files: applied.files,
    format: applied.format,
    notes: generation.notes,
  };
  if (applied.diff !== undefined) data.diff = applied.diff;
  return { status, summary, findings, data, artifacts: [] };
}
