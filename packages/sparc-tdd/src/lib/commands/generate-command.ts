import { defineCommand, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { z } from 'zod';
import { generateTests } from '../generate/generate';
import { scanOptionsShape } from './shared-options';

export const generateOptions = z.object({
  from: z.enum(['all', 'untested', 'spec']).default('all').describe('What to write tests for: untested exports (it.todo), the spec entities (real tests), or both'),
  spec: z.string().min(1).optional().describe('Spec file (default: the run spec, else sparc.spec.json|yaml at the root)'),
  dryRun: z.boolean().default(false).describe('Show the diff and write nothing'),
  ...scanOptionsShape,
});
export type GenerateCommandOptions = z.output<typeof generateOptions>;

export const generateData = z
  .object({
    files: z.array(z.object({ path: z.string(), kind: z.enum(['todo', 'acceptance', 'requirements']), subject: z.string(), tests: z.number().int(), todos: z.number().int() })),
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
    dryRun: z.boolean(),
    diff: z.string(),
    untestedExports: z.number().int(),
    entities: z.number().int(),
    spec: z.string().optional(),
  });
export type GenerateData = z.output<typeof generateData>;

export async function runGenerate(ctx: ModeContext, options: GenerateCommandOptions): Promise<ModeResult<GenerateData>> {
  const { from, spec, dryRun, ...scan } = options;
  const report = await generateTests(ctx, { from, spec, dryRun, scan });
  const findings: Finding[] = report.skipped.map((s) => ({ severity: 'info', rule: 'tdd.generate-skipped', message: s.reason, file: s.path }));
  // A dry run hands its diff back as data (the CLI prints it) and writes nothing, not even a report;
  // a real run keeps the diff of what it wrote as an artifact.
  const artifacts = !dryRun && report.diff !== '' ? [await ctx.artifacts.write('generate.diff', report.diff)] : [];
  const tests = report.files.reduce((n, f) => n + f.tests, 0);
  const todos = report.files.reduce((n, f) => n + f.todos, 0);
  const verb = dryRun ? 'would write' : 'wrote';
  const summary = `${verb} ${report.files.length} test file(s): ${tests} test(s), ${todos} todo(s)${report.skipped.length > 0 ? `; ${report.skipped.length} skipped (exist)` : ''}`;
  return { status: 'passed', summary, findings, data: { ...report, diff: dryRun ? report.diff : '' }, artifacts };
}

export const generateCommand = defineCommand({
  summary: 'Tests first: it.todo files for untested exports, real acceptance tests for the spec entities (staged, --dry-run shows the diff)',
  options: generateOptions,
  data: generateData,
  run: runGenerate,
});
