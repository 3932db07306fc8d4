import { spawn, type ChildProcess } from 'node:child_process';
import { OperationError } from '../../errors';
import { OutputCapture } from './output-capture';
import { groupHasLiveMembers, signalGroup, trackGroup } from './process-groups';

export interface ProcessSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  shell: boolean;
  input?: string;
  maxOutputBytes: number;
  /** Time between SIGTERM and SIGKILL when the run is aborted. */
  killGraceMs: number;
}

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: OutputCapture;
  stderr: OutputCapture;
}

const POLL_MS = 20;
/** SIGKILL cannot be caught; a process still there after this is stuck in the kernel. */
const AFTER_KILL_WAIT_MS = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function spawnFailure(command: string, error: unknown): OperationError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new OperationError('EXEC_NOT_FOUND', `command "${command}" not found`, { cause: error, details: { command } });
  const reason = error instanceof Error ? error.message : String(error);
  return new OperationError('EXEC_SPAWN_FAILED', `could not start "${command}": ${reason}`, { cause: error, details: { command, code } });
}

/**
 * Runs one command as the leader of its own process group, so that cancelling it reaches every
 * process it started: SIGTERM to the group, SIGKILL after the grace period if any member is still
 * alive. An aborted run rejects with the signal's reason, and only once the group is gone.
 */
export function runProcess(spec: ProcessSpec, signal: AbortSignal): Promise<ProcessOutcome> {
  return new Promise<ProcessOutcome>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let child: ChildProcess;
    try {
      child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: spec.env,
        shell: spec.shell,
        detached: true,
        stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      return reject(spawnFailure(spec.command, error));
    }

    const stdout = new OutputCapture(spec.maxOutputBytes);
    const stderr = new OutputCapture(spec.maxOutputBytes);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    if (child.stdin) {
      // The child may exit without reading its input; EPIPE then is not our failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.input);
    }

    const pgid = child.pid;
    const untrack = pgid === undefined ? () => undefined : trackGroup(pgid);
    let leaderExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let aborting = false;
    let settled = false;

    const settle = (outcome: { ok: ProcessOutcome } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if ('ok' in outcome) resolve(outcome.ok);
      else reject(outcome.error);
    };

    const groupAlive = () => leaderExit === undefined || (pgid !== undefined && groupHasLiveMembers(pgid));

    const terminate = async (gid: number) => {
      signalGroup(gid, 'SIGTERM');
      const graceEnd = Date.now() + spec.killGraceMs;
      while (groupAlive() && Date.now() < graceEnd) await sleep(POLL_MS);
      if (groupAlive()) {
        signalGroup(gid, 'SIGKILL');
        const killEnd = Date.now() + AFTER_KILL_WAIT_MS;
        while (groupAlive() && Date.now() < killEnd) await sleep(POLL_MS);
      }
      // A process outside the group (one that started its own session) may still hold the pipes.
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (!groupAlive()) untrack();
      settle({ error: signal.reason });
    };

    function onAbort() {
      if (settled || aborting) return;
      aborting = true;
      if (pgid === undefined) return settle({ error: signal.reason });
      terminate(pgid).catch((error: unknown) => settle({ error }));
    }
    signal.addEventListener('abort', onAbort, { once: true });

    child.once('error', (error) => {
      // Emitted when the spawn itself failed (no pid); later errors come with an exit anyway.
      if (pgid !== undefined) return;
      untrack();
      settle({ error: spawnFailure(spec.command, error) });
    });
    child.once('exit', (code, exitSignal) => {
      leaderExit = { code, signal: exitSignal };
    });
    child.once('close', (code: number | null, exitSignal: NodeJS.Signals | null) => {
      if (pgid === undefined || aborting) return;
      untrack();
      settle({ ok: { exitCode: code, signal: exitSignal, stdout, stderr } });
    });
  });
}
