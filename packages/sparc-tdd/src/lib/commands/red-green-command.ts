import { defineCommand, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { z } from 'zod';
import { redGreen } from '../red-green/red-green';

export const redGreenOptions = z.object({
  test: z.string().min(1).describe('The test file that must go red, then green'),
  implement: z.string().min(1).describe('Shell command that writes the implementation'),
  cwd: z.string().min(1).optional().describe('Folder jest runs in (default: the nearest folder above the test with a jest config)'),
  config: z.string().min(1).optional().describe('Jest config file, relative to that folder'),
  timeoutMs: z.number().int().positive().default(600_000).describe('Time limit of each jest run and of the implement command'),
});
export type RedGreenCommandOptions = z.output<typeof redGreenOptions>;

const phase = z
  .object({
    status: z.string(),
    passed: z.number().int(),
    failed: z.number().int(),
    todo: z.number().int(),
    assertionFailures: z.number().int(),
    durationMs: z.number(),
    failures: z.array(z.object({ file: z.string(), line: z.number().int().optional(), test: z.string(), message: z.string(), assertion: z.boolean() })),
    crash: z.string().optional(),
  });

export const redGreenData = z
  .object({
    test: z.string(),
    verdict: z.enum(['red-green', 'not-red', 'already-green', 'implement-failed', 'not-green']),
    reason: z.string().optional(),
    red: phase,
    implement: z.object({ command: z.string(), exitCode: z.number().int().nullable(), durationMs: z.number(), output: z.string() }).optional(),
    green: phase.optional(),
  });
export type RedGreenData = z.output<typeof redGreenData>;

export async function runRedGreen(ctx: ModeContext, options: RedGreenCommandOptions): Promise<ModeResult<RedGreenData>> {
  const report = await redGreen(ctx, options);
  const artifact = await ctx.artifacts.write('red-green.json', `${JSON.stringify(report, null, 2)}\n`);
  if (report.verdict === 'red-green') {
    const summary = `${report.test}: red (${report.red.assertionFailures} assertion failure(s)), then green (${report.green?.passed ?? 0} passed) after "${options.implement}"`;
    return { status: 'passed', summary, findings: [], data: report, artifacts: [artifact] };
  }
  const message = `${report.test}: ${report.verdict}: ${report.reason ?? ''}`;
  return { status: 'failed', summary: message, findings: [{ severity: 'error', rule: `tdd.red-green.${report.verdict}`, message, file: report.test }], data: report, artifacts: [artifact] };
}

export const redGreenCommand = defineCommand({
  summary: 'The test must fail on assertions first (compile/import errors are not red), then pass after --implement',
  options: redGreenOptions,
  data: redGreenData,
  run: runRedGreen,
});
