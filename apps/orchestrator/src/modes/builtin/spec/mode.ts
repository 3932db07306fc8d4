import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { defineMode, findSpecFile, parallel, parseSpec, SpecError, type Finding, type SparcSpec } from '@sparc/batch-core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { completeness } from './completeness';
import { consistency } from './consistency';
import { feasibility } from './feasibility';
import { specLocator } from './locate';
import { testability } from './testability';
import type { SpecCheck, SpecCheckName, SpecIssue } from './types';

const CHECKS: Record<SpecCheckName, SpecCheck> = { completeness, consistency, testability, feasibility };

const issueSchema = z.object({
  check: z.enum(['completeness', 'consistency', 'testability', 'feasibility', 'schema']),
  severity: z.enum(['error', 'warning', 'info']),
  path: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
});

const countsSchema = z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int(), durationMs: z.number() });

const dataSchema = z.object({
  file: z.string().optional(),
  valid: z.boolean(),
  checks: z.record(z.string(), countsSchema),
  issues: z.array(issueSchema),
});

type SpecData = z.output<typeof dataSchema>;

interface LoadedSpec {
  spec?: SparcSpec;
  file?: string;
  text?: string;
  /** Schema problems, when the file does not validate. */
  invalid?: SpecError;
}

async function readSpec(file: string, relative: string): Promise<LoadedSpec> {
  const text = await fsp.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SpecError(`cannot read spec ${relative}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, [], relative);
  });
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    return { file: relative, text, invalid: new SpecError(`spec ${relative} does not parse: ${(error as Error).message}`, [{ path: '(root)', message: (error as Error).message }], relative) };
  }
  try {
    return { spec: parseSpec(data, relative), file: relative, text };
  } catch (error) {
    if (error instanceof SpecError) return { file: relative, text, invalid: error };
    throw error;
  }
}

function counts(issues: SpecIssue[], durationMs: number) {
  return {
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    infos: issues.filter((i) => i.severity === 'info').length,
    durationMs: Math.round(durationMs * 10) / 10,
  };
}

/**
 * `spec`: reads the project spec and checks its completeness, consistency, testability and
 * feasibility side by side. Every finding names the spec path (`entities[0].fields[2]`) and,
 * when the file spells it out, its line.
 */
export const specMode = defineMode({
  name: 'spec',
  summary: 'Check the spec: completeness, consistency, testability and feasibility, in parallel',
  options: z.object({
    spec: z.string().optional().describe('Spec file, relative to the workspace (default: the run\'s spec, else sparc.spec.json|yaml)'),
  }),
  data: dataSchema,
  async run(ctx, options) {
    const root = ctx.workspace.root;
    let loaded: LoadedSpec;
    if (options.spec !== undefined) {
      loaded = await readSpec(path.resolve(root, options.spec), options.spec);
    } else {
      const found = await findSpecFile(root);
      loaded = found ? await readSpec(found, ctx.workspace.relative(found)) : {};
      // A spec handed over by the pipeline wins over what is on disk.
      if (ctx.spec) loaded = { ...loaded, spec: ctx.spec, invalid: undefined };
    }
    const locate = loaded.text !== undefined ? specLocator(loaded.text) : () => undefined;
    const toFinding = (issue: SpecIssue | (Omit<SpecIssue, 'check' | 'id'> & { check: 'schema'; id: string })): Finding => {
      const line = locate(issue.path);
      return {
        severity: issue.severity,
        rule: `spec.${issue.check}.${issue.id}`,
        message: `${issue.path}: ${issue.message}`,
        ...(loaded.file ? { file: loaded.file } : {}),
        ...(line !== undefined ? { line } : {}),
      };
    };

    if (loaded.invalid || !loaded.spec) {
      const schemaIssues = loaded.invalid
        ? loaded.invalid.issues.map((i) => ({ check: 'schema' as const, severity: 'error' as const, id: 'invalid', path: i.path, message: i.message }))
        : [{ check: 'schema' as const, severity: 'error' as const, id: 'missing', path: '(root)', message: 'no spec: add sparc.spec.json (or .yaml) to the workspace or give --spec FILE' }];
      const data: SpecData = { ...(loaded.file ? { file: loaded.file } : {}), valid: false, checks: {}, issues: schemaIssues.map((i) => ({ check: i.check, severity: i.severity, path: i.path, message: i.message, ...(locate(i.path) ? { line: locate(i.path) } : {}) })) };
      return {
        status: 'failed',
        summary: loaded.invalid ? `${loaded.file} does not validate (${schemaIssues.length} problem(s))` : 'no spec found',
        findings: schemaIssues.map(toFinding),
        data,
        artifacts: [],
      };
    }

    const spec = loaded.spec;
    const names = Object.keys(CHECKS) as SpecCheckName[];
    ctx.progress(`${names.length} checks`);
    const results = await parallel(
      names.map((name) => async (signal: AbortSignal) => {
        const started = performance.now();
        const issues = await CHECKS[name]({ spec, workspace: ctx.workspace, signal });
        return { name, issues, durationMs: performance.now() - started };
      }),
      { concurrency: names.length, signal: ctx.signal },
    );
    const issues = results.flatMap((r) => r.issues);
    const findings = issues.map(toFinding);
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.filter((i) => i.severity === 'warning').length;
    const data: SpecData = {
      ...(loaded.file ? { file: loaded.file } : {}),
      valid: true,
      checks: Object.fromEntries(results.map((r) => [r.name, counts(r.issues, r.durationMs)])),
      issues: issues.map((i) => {
        const line = locate(i.path);
        return { check: i.check, severity: i.severity, path: i.path, message: i.message, ...(line !== undefined ? { line } : {}) };
      }),
    };
    const report = await ctx.artifacts.write('spec-review.json', `${JSON.stringify(data, null, 2)}\n`);
    return {
      status: errors > 0 ? 'failed' : warnings > 0 ? 'warning' : 'passed',
      summary: `${spec.name}: ${spec.entities.length} entities, ${spec.services.length} services, ${spec.requirements.length} requirements; ${errors} error(s), ${warnings} warning(s)`,
      findings,
      data,
      artifacts: [report],
    };
  },
});
