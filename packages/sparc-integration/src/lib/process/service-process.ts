import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { liveGroupMembers, signalGroup, trackGroup } from '@sparc/batch-core';
import { ServiceStartError } from '../errors';
import { OutputTail } from './output-tail';

export interface ServiceProcessSpec {
  /** Service name, for messages. */
  name: string;
  /** A shell command line. */
  command: string;
  /** Absolute working folder. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Bytes of stdout and of stderr kept for reports. @default 16384 */
  outputLimit?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopOutcome {
  /** Gone after SIGTERM alone, or only after SIGKILL. */
  how: 'already-exited' | 'terminated' | 'killed';
  /** False when a member survived even SIGKILL (stuck in the kernel). */
  stopped: boolean;
  /** Members still alive when stop gave up (empty when `stopped`). */
  survivors: number[];
}

const POLL_MS = 20;
/** SIGKILL cannot be caught; a process still there after this is stuck in the kernel. */
const AFTER_KILL_WAIT_MS = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One started service: its start command runs through the shell as the leader of a new process
 * group, so that `stop` reaches the shell, the server and anything the server started.
 */
export class ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** `performance.now()` at spawn. */
  readonly startedAt: number;
  /** Resolves when the leader exits (it may leave members of its group behind). */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  readonly #stdout: OutputTail;
  readonly #stderr: OutputTail;
  #exit: ProcessExit | undefined;
  #untrack: () => void;
  #stopping: Promise<StopOutcome> | undefined;

  private constructor(name: string, child: ChildProcess, outputLimit: number) {
    this.name = name;
    this.#child = child;
    this.pid = child.pid as number;
    this.startedAt = performance.now();
    this.#untrack = trackGroup(this.pid);
    this.#stdout = new OutputTail(outputLimit);
    this.#stderr = new OutputTail(outputLimit);
    child.stdout?.on('data', (chunk: Buffer) => this.#stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#stderr.push(chunk));
    // Output streams closing after the leader exits are not news; errors on them are not ours.
    child.stdout?.on('error', () => undefined);
    child.stderr?.on('error', () => undefined);
    this.exited = new Promise<ProcessExit>((resolve) => {
      // 'close' waits for the pipes too, so the stderr of a command that failed at once is complete.
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  /** Spawns the start command. Throws ServiceStartError when the shell itself cannot start. */
  static start(spec: ServiceProcessSpec): ServiceProcess {
    let child: ChildProcess;
    try {
      child = spawn(spec.command, {
        cwd: spec.cwd,
        env: spec.env,
        shell: true,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      throw new ServiceStartError(spec.name, `could not run "${spec.command}": ${(error as Error).message}`, { cause: error });
    }
    if (child.pid === undefined) {
      // spawn reports ENOENT of the shell or cwd asynchronously; without a pid nothing runs.
      child.on('error', () => undefined);
      throw new ServiceStartError(spec.name, `could not run "${spec.command}" in ${spec.cwd}`);
    }
    return new ServiceProcess(spec.name, child, spec.outputLimit ?? 16_384);
  }

  /** The leader's exit, once it has exited. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  stdout(): string {
    return this.#stdout.toString();
  }

  stderr(): string {
    return this.#stderr.toString();
  }

  /** Live members of the service's process group (the leader included while it runs). */
  liveMembers(): number[] {
    return liveGroupMembers(this.pid);
  }

  /**
   * SIGTERM to the group, SIGKILL after `graceMs` if any member is still alive, then waits until
   * the group is gone. Safe to call more than once (later calls share the first stop).
   */
  stop(graceMs: number): Promise<StopOutcome> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<StopOutcome> {
    if (this.liveMembers().length === 0) return this.#stopped('already-exited');
    signalGroup(this.pid, 'SIGTERM');
    const graceEnd = performance.now() + graceMs;
    while (performance.now() < graceEnd) {
      if (this.liveMembers().length === 0) return this.#stopped('terminated');
      await sleep(POLL_MS);
    }
    signalGroup(this.pid, 'SIGKILL');
    const killEnd = performance.now() + AFTER_KILL_WAIT_MS;
    while (performance.now() < killEnd) {
      if (this.liveMembers().length === 0) return this.#stopped('killed');
      await sleep(POLL_MS);
    }
    const survivors = this.liveMembers();
    if (survivors.length === 0) return this.#stopped('killed');
    return { how: 'killed', stopped: false, survivors };
  }

  #stopped(how: StopOutcome['how']): StopOutcome {
    this.#untrack();
    // A process that left the group (its own session) may still hold the pipes open.
    this.#child.stdout?.destroy();
    this.#child.stderr?.destroy();
    return { how, stopped: true, survivors: [] };
  }
}
