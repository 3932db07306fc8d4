/**
 * What travels between the pool and its worker threads. Task failures come back as data rather
 * than as thrown errors, because structured cloning drops an error's `code` and custom `name`:
 * a rejected `piscina.run` then always means the thread itself failed (crash, OOM, abort).
 */
import type { CpuTask } from './types';
import type { RemoteErrorInfo } from './errors';

/** The message a worker receives: the task, with the export name settled. */
export type WorkerRequest = Required<Pick<CpuTask, 'module' | 'exportName'>> & { payload: unknown };

/** Why a task failed inside a healthy worker. */
export type FailureStage = 'load' | 'export' | 'call' | 'result';

export type WorkerOutcome =
  | { ok: true; value: unknown }
  | { ok: false; stage: FailureStage; error: RemoteErrorInfo };
