import { defineMode, type Finding } from '@sparc/batch-core';
import { z } from 'zod';
import { CODE_EXTENSIONS, lineCount, readSourceFiles } from '../files';
import { functionMetrics, topLevelExports } from './complexity';

const TEST_FILES = ['**/*.test.*', '**/*.spec.*', '**/__tests__/**', '**/__fixtures__/**'];

const dataSchema = z.object({
  files: z.number().int(),
  totalLines: z.number().int(),
  largestFiles: z.array(z.object({ file: z.string(), lines: z.number().int(), bytes: z.number().int(), functions: z.number().int() })),
  complexFunctions: z.array(z.object({ file: z.string(), name: z.string(), line: z.number().int(), lines: z.number().int(), complexity: z.number().int() })),
  /** From the architect's data upstream; null when no architect ran before this mode. */
  cycles: z.array(z.array(z.string())).nullable(),
  splitCandidates: z.array(z.object({ file: z.string(), lines: z.number().int(), reason: z.string(), exports: z.array(z.object({ name: z.string(), line: z.number().int() })) })),
});

type OptimizationData = z.output<typeof dataSchema>;

/** Strongly connected components from the architect's data (`cycles`: one list of modules each). */
function upstreamCycles(data: unknown): string[][] | null {
  const cycles = (data as { cycles?: unknown } | null | undefined)?.cycles;
  if (!Array.isArray(cycles)) return null;
  return cycles.filter((c): c is string[] => Array.isArray(c) && c.every((m) => typeof m === 'string'));
}

/**
 * `optimization`: file size and function complexity, import cycles from the architect's results
 * when it ran earlier in the pipeline, and the files worth splitting (long, several exports, or a
 * function that dominates them).
 */
export const optimizationMode = defineMode({
  name: 'optimization',
  summary: 'File size and complexity, import cycles from upstream architect data, split candidates',
  options: z.object({
    maxLines: z.number().int().positive().default(300).describe('Files longer than this are reported'),
    maxComplexity: z.number().int().positive().default(15).describe('Functions with a higher cyclomatic complexity are reported'),
    maxFunctionLines: z.number().int().positive().default(80).describe('Functions longer than this are reported'),
    top: z.number().int().positive().default(20).describe('How many of the largest files and most complex functions to list'),
    exclude: z.array(z.string()).default([]).describe('More glob patterns to leave out'),
    tests: z.boolean().default(false).describe('Measure test files too (their describe blocks are long by nature)'),
  }),
  data: dataSchema,
  async run(ctx, options) {
    const { files } = await readSourceFiles(ctx, {
      patterns: [`**/*.{${CODE_EXTENSIONS.join(',')}}`],
      ignore: ['**/*.d.ts', '**/*.min.js', ...(options.tests ? [] : TEST_FILES), ...options.exclude],
    });
    ctx.progress(`measuring ${files.length} file(s)`);
    const findings: Finding[] = [];
    const measured = files.map((file) => ({ file, lines: lineCount(file.text), functions: functionMetrics(file.text) }));
    const splitCandidates: OptimizationData['splitCandidates'] = [];
    for (const { file, lines, functions } of measured) {
      if (lines > options.maxLines) {
        findings.push({ severity: 'warning', rule: 'optimization.file-size', message: `${lines} lines (limit ${options.maxLines})`, file: file.path });
      }
      for (const fn of functions) {
        if (fn.complexity > options.maxComplexity) {
          findings.push({ severity: 'warning', rule: 'optimization.complexity', message: `${fn.name}: cyclomatic complexity ${fn.complexity} (limit ${options.maxComplexity})`, file: file.path, line: fn.line });
        }
        if (fn.lines > options.maxFunctionLines) {
          findings.push({ severity: 'warning', rule: 'optimization.function-length', message: `${fn.name}: ${fn.lines} lines (limit ${options.maxFunctionLines})`, file: file.path, line: fn.line });
        }
      }
      const exports = topLevelExports(file.text);
      const dominant = functions.find((fn) => fn.lines > lines / 2 && fn.lines > options.maxFunctionLines);
      let reason: string | undefined;
      if (lines > options.maxLines && exports.length >= 2) reason = `${lines} lines with ${exports.length} top-level exports: each group of related exports can be its own module`;
      else if (dominant) reason = `${dominant.name} is ${dominant.lines} of the file's ${lines} lines: extract its parts into helpers`;
      if (reason) {
        splitCandidates.push({ file: file.path, lines, reason, exports });
        findings.push({ severity: 'info', rule: 'optimization.split-candidate', message: reason, file: file.path });
      }
    }

    const cycles = upstreamCycles(ctx.upstream.architect?.data);
    if (cycles === null) {
      findings.push({ severity: 'info', rule: 'optimization.no-architect-data', message: 'no architect results upstream: import cycles not checked (run the architect stage before this one)' });
    } else {
      for (const cycle of cycles) {
        findings.push({ severity: 'warning', rule: 'optimization.cycle', message: `import cycle of ${cycle.length} module(s): ${cycle.join(' → ')}; break it by moving what they share into a module both import`, file: cycle[0] });
      }
    }

    const data: OptimizationData = {
      files: files.length,
      totalLines: measured.reduce((sum, m) => sum + m.lines, 0),
      largestFiles: [...measured]
        .sort((a, b) => b.lines - a.lines)
        .slice(0, options.top)
        .map((m) => ({ file: m.file.path, lines: m.lines, bytes: m.file.bytes, functions: m.functions.length })),
      complexFunctions: measured
        .flatMap((m) => m.functions.map((fn) => ({ file: m.file.path, ...fn })))
        .sort((a, b) => b.complexity - a.complexity)
        .slice(0, options.top),
      cycles,
      splitCandidates,
    };
    const artifact = await ctx.artifacts.write('optimization.json', `${JSON.stringify(data, null, 2)}\n`);
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    return {
      status: warnings > 0 ? 'warning' : 'passed',
      summary: `${files.length} file(s), ${data.totalLines} lines; ${findings.filter((f) => f.rule === 'optimization.complexity').length} complex function(s), ${splitCandidates.length} split candidate(s), ${cycles === null ? 'cycles not checked' : `${cycles.length} cycle(s)`}`,
      findings,
      data,
      artifacts: [artifact],
    };
  },
});
