import type { Finding, ModeContext, ModeResult, OperationResult, ValidationIssue } from '@sparc/batch-core';
import { z } from 'zod';

/**
 * A custom mode written as data, so a JSON config can declare one: a batch of engine operations
 * whose string params may use `{{option}}`, and whose `search.grep` matches can become findings.
 *
 * ```json
 * { "name": "todo-check", "summary": "TODOs left in src",
 *   "options": { "pattern": { "type": "string", "default": "TODO" } },
 *   "operations": [{ "id": "todos", "type": "search.grep",
 *     "params": { "pattern": "{{pattern}}", "include": ["src/**"] },
 *     "finding": { "severity": "warning", "rule": "todo.left", "message": "{{pattern}}: {{match}}" } }] }
 * ```
 * A failed operation is an error finding; the mode fails on any error finding.
 */

const findingTemplateSchema = z
  .object({
    severity: z.enum(['error', 'warning', 'info']).default('warning'),
    rule: z.string().min(1),
    message: z.string().min(1),
  })
  .strict();

const declaredOperationSchema = z
  .object({
    id: z.string().min(1),
    type: z.string().min(1),
    finding: findingTemplateSchema.optional(),
  })
  .loose();

export const batchModeFieldsSchema = z.object({
  operations: z.array(declaredOperationSchema).min(1, 'a batch mode needs at least one operation'),
  concurrency: z.number().int().min(1).optional(),
});

type DeclaredOperation = z.output<typeof declaredOperationSchema>;
type FindingTemplate = z.output<typeof findingTemplateSchema>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][\w]*)\s*\}\}$/;

/** `{{name}}` → the option's value; a string that is only a placeholder takes the value's own type. */
export function interpolate(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole && Object.hasOwn(vars, whole[1])) return vars[whole[1]];
    return value.replace(PLACEHOLDER, (text, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : text));
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  return value;
}

interface BatchModeData {
  operations: Array<{ id: string; type: string; status: string; durationMs: number; error?: string }>;
}

function matchFindings(result: OperationResult, template: FindingTemplate, vars: Record<string, unknown>): Finding[] {
  const matches = (result.output as { matches?: Array<{ file: string; line: number; text: string }> } | undefined)?.matches ?? [];
  return matches.map((match) => ({
    severity: template.severity,
    rule: template.rule,
    message: String(interpolate(template.message, { ...vars, match: match.text.trim() })),
    file: match.file,
    line: match.line,
  }));
}

/** The run function of a declared batch mode. */
export function batchModeRun(name: string, fields: z.output<typeof batchModeFieldsSchema>) {
  return async (ctx: ModeContext, options: Record<string, unknown>): Promise<ModeResult<BatchModeData>> => {
    const templates = new Map<string, FindingTemplate>();
    const operations = fields.operations.map((declared: DeclaredOperation) => {
      const { finding, ...operation } = declared;
      if (finding) templates.set(declared.id, finding);
      return interpolate(operation, options);
    });
    ctx.progress(`${operations.length} operation(s)`);
    const batch = await ctx.engine.run({ operations, label: `mode:${name}`, ...(fields.concurrency ? { concurrency: fields.concurrency } : {}) }, { signal: ctx.signal });
    const findings: Finding[] = [];
    for (const result of batch.results) {
      if (result.status !== 'succeeded') {
        const reason = result.error ? `${result.error.code}: ${result.error.message}` : result.status;
        findings.push({ severity: 'error', rule: `${name}.operation-${result.status}`, message: `operation "${result.id}" (${result.type}) ${result.status}: ${reason}` });
        continue;
      }
      const template = templates.get(result.id);
      if (template) findings.push(...matchFindings(result, template, options));
    }
    const status = findings.some((f) => f.severity === 'error') ? 'failed' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'passed';
    const succeeded = batch.results.filter((r) => r.status === 'succeeded').length;
    return {
      status,
      summary: `${succeeded}/${batch.results.length} operation(s) succeeded, ${findings.length} finding(s)`,
      findings,
      data: {
        operations: batch.results.map((r) => ({ id: r.id, type: r.type, status: r.status, durationMs: r.durationMs, ...(r.error ? { error: r.error.message } : {}) })),
      },
      artifacts: [],
    };
  };
}

/** Checks the batch fields of a declared mode, pushing problems under `path`. */
export function parseBatchModeFields(candidate: Record<string, unknown>, path: string, issues: ValidationIssue[]): z.output<typeof batchModeFieldsSchema> | undefined {
  const parsed = batchModeFieldsSchema.safeParse({ operations: candidate.operations, concurrency: candidate.concurrency });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const sub = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    issues.push({ path: `${path}${sub}`, message: issue.message });
  }
  return undefined;
}
