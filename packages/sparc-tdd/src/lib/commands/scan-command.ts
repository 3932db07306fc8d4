import { defineCommand, type Finding, type ModeContext, type ModeResult } from '@sparc/batch-core';
import { z } from 'zod';
import { scanWorkspace, type ScanReport } from '../scan/scan';
import { scanOptionsShape } from './shared-options';

export const scanOptions = z.object(scanOptionsShape);
export type ScanOptions = z.output<typeof scanOptions>;

const location = z.object({ file: z.string(), name: z.string(), line: z.number().int().nonnegative() });

/** `sparc tdd scan --json` prints this object: `exports` and `untested` exactly as the issue asks, plus detail. */
export const scanData = z
  .object({
    exports: z.number().int().nonnegative(),
    untested: z.array(location),
    tested: z.number().int().nonnegative(),
    modules: z.array(z.object({ file: z.string(), exports: z.number().int(), untested: z.number().int() })),
    sourceFiles: z.number().int(),
    testFiles: z.number().int(),
    parseErrors: z.array(z.object({ file: z.string(), message: z.string() })),
    durationMs: z.number(),
  });
export type ScanData = z.output<typeof scanData>;

/** Findings kept per run: one per module with untested exports is plenty to act on. */
const MAX_FINDINGS = 200;

export async function runScan(ctx: ModeContext, options: ScanOptions): Promise<ModeResult<ScanData>> {
  const report = await scanWorkspace(ctx, options);
  const { declarations: _declarations, ...data } = report;
  const findings: Finding[] = [];
  for (const module of report.modules) {
    if (module.untested === 0 || findings.length >= MAX_FINDINGS) continue;
    const names = report.untested.filter((u) => u.file === module.file);
    findings.push({
      severity: 'warning',
      rule: 'tdd.untested-export',
      message: `${module.untested} of ${module.exports} export(s) untested: ${names.map((n) => n.name).join(', ')}`,
      file: module.file,
      line: names[0]?.line,
    });
  }
  for (const error of report.parseErrors.slice(0, 20)) findings.push({ severity: 'warning', rule: 'tdd.parse-error', message: error.message, file: error.file });
  const artifact = await ctx.artifacts.write('scan.json', `${JSON.stringify(stripDetail(report), null, 2)}\n`);
  const summary = `${report.exports} export(s) in ${report.modules.length} module(s), ${report.untested.length} untested; ${report.testFiles} test file(s) (${Math.round(report.durationMs)} ms)`;
  return { status: report.untested.length > 0 || report.parseErrors.length > 0 ? 'warning' : 'passed', summary, findings, data, artifacts: [artifact] };
}

function stripDetail(report: ScanReport): Omit<ScanReport, 'declarations'> & { declarations: Array<{ file: string; name: string; line: number; kind: string; tested: boolean }> } {
  return { ...report, declarations: report.declarations.map(({ file, name, line, kind, tested }) => ({ file, name, line, kind, tested })) };
}

export const scanCommand = defineCommand({
  summary: 'Exported functions, classes and constants that no test file imports (directly or through a barrel)',
  options: scanOptions,
  data: scanData,
  run: runScan,
});
