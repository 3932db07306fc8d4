import { performance } from 'node:perf_hooks';
import { toErrorInfo, ValidationError } from '../errors';
import { toFlag } from './describe-options';
import { modeResultChecker } from './mode-result';
import { formatIssuePath } from './parse-option-args';
import type { Finding, ModeContext, ModeResult, ModeRunResult, RunnableMode, RunnableTarget } from './types';

/** Rule ids of the findings `runMode` itself produces, so callers can tell usage errors from work failures. */
export const MODE_RULES = {
  options: 'mode.invalid-options',
  unknownCommand: 'mode.unknown-command',
  error: 'mode.error',
  cancelled: 'mode.cancelled',
  invalidResult: 'mode.invalid-result',
  invalidData: 'mode.invalid-data',
  /** The mode threw a ValidationError: its input (a spec, a manifest, a file it was pointed at) is invalid. */
  invalidInput: 'mode.invalid-input',
} as const;

/**
 * True for a finding that says the caller's input was invalid rather than that work failed: the
 * option and command errors of `runMode`, and any rule ending in `.invalid-input` (a mode's own,
 * like `integration.invalid-input` for a bad services manifest). The CLI exits 2 for these.
 */
export function isInputFinding(finding: Pick<Finding, 'rule' | 'severity'>): boolean {
  if (finding.severity !== 'error') return false;
  return finding.rule === MODE_RULES.options || finding.rule === MODE_RULES.unknownCommand || finding.rule.endsWith('.invalid-input');
}

/**
 * Runs a mode (or one of its subcommands) and always resolves to a result: bad options, a thrown
 * error, a malformed result or data that breaks the mode's data schema all become a `failed`
 * result naming the mode and the reason.
 */
export async function runMode<D = unknown>(
  mode: RunnableMode,
  ctx: ModeContext,
  rawOptions: unknown,
  opts: { command?: string } = {},
): Promise<ModeRunResult<D>> {
  const started = performance.now();
  const label = opts.command ? `${mode.name} ${opts.command}` : mode.name;
  const finish = (result: ModeResult<D | undefined>): ModeRunResult<D> => ({
    ...result,
    mode: mode.name,
    ...(opts.command ? { command: opts.command } : {}),
    durationMs: performance.now() - started,
  });
  const fail = (summary: string, findings: Finding[], extra: Partial<ModeResult<D | undefined>> = {}) =>
    finish({ status: 'failed', summary, findings, data: undefined, artifacts: [], ...extra });

  let target: RunnableTarget = mode;
  if (opts.command !== undefined) {
    const command = Object.hasOwn(mode.commands, opts.command) ? mode.commands[opts.command] : undefined;
    if (!command) {
      const known = Object.keys(mode.commands);
      const message = `${mode.name}: unknown command "${opts.command}" (known: ${known.length > 0 ? known.join(', ') : 'none'})`;
      return fail(message, [{ severity: 'error', rule: MODE_RULES.unknownCommand, message }]);
    }
    target = command;
  }

  const options = await target.options.safeParseAsync(rawOptions ?? {});
  const unknownKeys = unknownOptionKeys(target.options.shape, rawOptions);
  if (!options.success || unknownKeys.length > 0) {
    const problems = unknownKeys.map((key) => `unknown option "${key}" (known: ${Object.keys(target.options.shape).join(', ') || 'none'})`);
    for (const issue of options.success ? [] : options.error.issues) {
      // Strict schemas report unknown keys too; they are already listed above with the known ones.
      if (issue.code === 'unrecognized_keys') continue;
      const flag = typeof issue.path[0] === 'string' ? ` (${toFlag(issue.path[0])})` : '';
      problems.push(`option "${formatIssuePath(issue.path)}"${flag}: ${issue.message}`);
    }
    const findings = problems.map((problem): Finding => ({ severity: 'error', rule: MODE_RULES.options, message: `${label}: ${problem}` }));
    return fail(`${label}: invalid options: ${problems.join('; ')}`, findings);
  }

  if (ctx.signal.aborted) {
    const message = `${label}: cancelled before it started (${abortReason(ctx.signal)})`;
    return fail(message, [{ severity: 'error', rule: MODE_RULES.cancelled, message }]);
  }

  let returned: unknown;
  try {
    returned = await target.run(ctx, options.data);
  } catch (error) {
    const info = toErrorInfo(error);
    const cancelled = ctx.signal.aborted;
    // Node's own errors already start with their code ("ENOTDIR: not a directory, ..."): not twice.
    const codePrefix = info.code !== 'ERROR' && !info.message.startsWith(`${info.code}:`) ? `${info.code}: ` : '';
    const message = cancelled ? `${label}: cancelled (${abortReason(ctx.signal)})` : `${label} failed: ${codePrefix}${info.message}`;
    const rule = cancelled ? MODE_RULES.cancelled : error instanceof ValidationError ? MODE_RULES.invalidInput : MODE_RULES.error;
    return fail(message, [{ severity: 'error', rule, message }]);
  }

  const shape = modeResultChecker.safeParse(returned);
  if (!shape.success) {
    const problems = shape.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
    const message = `${label} returned a malformed result: ${problems.join('; ')}`;
    return fail(message, [{ severity: 'error', rule: MODE_RULES.invalidResult, message }]);
  }
  const result = shape.data as ModeResult<unknown>;

  if (target.data) {
    const data = await target.data.safeParseAsync(result.data);
    if (!data.success) {
      const findings: Finding[] = data.error.issues.map((issue) => ({
        severity: 'error',
        rule: MODE_RULES.invalidData,
        message: `${label}: data at "${formatIssuePath(issue.path)}": ${issue.message}`,
      }));
      return fail(`${label}: its data does not match the mode's data schema (${findings.length} problem${findings.length === 1 ? '' : 's'})`, [...result.findings, ...findings], {
        artifacts: result.artifacts,
      });
    }
    return finish({ ...result, data: data.data as D });
  }
  return finish(result as ModeResult<D>);
}

function unknownOptionKeys(shape: Record<string, unknown>, raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  return Object.keys(raw).filter((key) => !Object.hasOwn(shape, key));
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'aborted' : String(reason);
}
