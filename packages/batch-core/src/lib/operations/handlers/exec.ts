import { promises as fsp } from 'node:fs';
import { z } from 'zod';
import { OperationError } from '../../errors';
import { defineHandler } from '../registry';
import { runProcess } from './exec-process';

/** How much of stderr an EXEC_FAILED error carries. */
const STDERR_TAIL_CHARS = 4000;

export const execParams = z.strictObject({
  command: z.string().min(1).describe('Program to run (looked up on PATH), or a command line when `shell` is true'),
  args: z.array(z.string()).default([]).describe('Arguments, passed as they are (no shell quoting involved)'),
  cwd: z.string().default('').describe('Working folder inside the workspace (default: the root)'),
  env: z.record(z.string(), z.string()).default({}).describe('Variables set over the current environment'),
  shell: z.boolean().default(false).describe('Run through the system shell'),
  input: z.string().optional().describe('Written to the standard input, which is then closed'),
  maxOutputBytes: z.number().int().min(0).default(1024 * 1024).describe('Bytes kept per stream; beyond that the middle is dropped'),
  killGraceMs: z.number().int().min(0).max(600_000).default(2000).describe('Wait between SIGTERM and SIGKILL when cancelled'),
  expectExitCode: z.number().int().default(0).describe('Exit code that counts as success'),
});
export type ExecParams = z.output<typeof execParams>;

export interface ExecOutput {
  /** Null when the process was ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when either stream was longer than `maxOutputBytes`. */
  truncated: boolean;
}

function describeCommand(params: ExecParams): string {
  return [params.command, ...params.args].join(' ');
}

/**
 * Runs a command in the workspace. Cancellation (timeout, failFast, batch cancel) kills the whole
 * process group the command started, so nothing it spawned is left running.
 */
export const execHandler = defineHandler<ExecParams, ExecOutput>({
  type: 'exec',
  params: execParams,
  needsDisk: true,
  async run(params, ctx) {
    const cwd = await ctx.workspace.resolveReal(params.cwd);
    const stat = await fsp.stat(cwd).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new OperationError('EXEC_BAD_CWD', `working folder "${params.cwd}" does not exist or is not a folder`, { details: { cwd: params.cwd } });
    }
    const outcome = await runProcess(
      {
        command: params.command,
        args: params.args,
        cwd,
        env: { ...process.env, ...params.env },
        shell: params.shell,
        input: params.input,
        maxOutputBytes: params.maxOutputBytes,
        killGraceMs: params.killGraceMs,
      },
      ctx.signal,
    );
    if (outcome.exitCode !== params.expectExitCode) {
      const how = outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
      throw new OperationError('EXEC_FAILED', `"${describeCommand(params)}" ${how} (expected ${params.expectExitCode})`, {
        details: { exitCode: outcome.exitCode, signal: outcome.signal, stderrTail: outcome.stderr.tail(STDERR_TAIL_CHARS) },
      });
    }
    return {
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      stdout: outcome.stdout.toString(),
      stderr: outcome.stderr.toString(),
      truncated: outcome.stdout.truncated || outcome.stderr.truncated,
    };
  },
  target: (params) => `exec:${params.command}`,
  describe: (params) => `run ${describeCommand(params)}${params.cwd ? ` in ${params.cwd}` : ''}`,
});
