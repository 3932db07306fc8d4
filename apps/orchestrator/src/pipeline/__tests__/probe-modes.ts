import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { defineMode, ModeRegistry, type ModeContext, type ModeDefinition } from '@sparc/batch-core';

/** What a probe mode saw when it ran: the spec, its upstream, its options and command. */
export interface ProbeCall {
  mode: string;
  command?: string;
  options: Record<string, unknown>;
  specName?: string;
  upstream: string[];
  upstreamStatus: Record<string, string>;
  runId: string;
}

/**
 * Rendezvous for modes that must be running at the same time: each arrives and waits for the
 * others. Modes run one after another never all arrive, and the wait ends with an error instead
 * of a hang: overlap is proven by completion, not by timing.
 */
export class Barrier {
  #arrived = new Set<string>();
  #waiters: Array<() => void> = [];
  constructor(readonly parties: string[], readonly limitMs = 15_000) {}

  async arrive(name: string, signal: AbortSignal): Promise<void> {
    this.#arrived.add(name);
    if (this.parties.every((p) => this.#arrived.has(p))) {
      this.#waiters.splice(0).forEach((wake) => wake());
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`barrier: ${name} waited for ${this.parties.filter((p) => !this.#arrived.has(p)).join(', ')} in vain`)), this.limitMs);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export interface ProbeBehaviour {
  /** Result status to report. */
  status?: 'passed' | 'warning' | 'failed';
  throws?: string;
  barrier?: Barrier;
  /** Waits for this promise before returning (e.g. until a sibling has failed). */
  after?: () => Promise<void>;
  /** Commands the mode declares (each records like the mode itself). */
  commands?: string[];
  /** Returned as the mode's data. */
  data?: unknown;
  /** Artifacts to write: name → content. */
  artifacts?: Record<string, string>;
  onDone?: () => void;
  /** Sees the mode's context (e.g. to compare the worker pool of two modes). */
  inspect?: (ctx: ModeContext) => void;
}

export function probeMode(name: string, calls: ProbeCall[], behaviour: ProbeBehaviour = {}): ModeDefinition {
  const run = (command: string | undefined) => async (ctx: ModeContext, options: Record<string, unknown>) => {
    calls.push({
      mode: name,
      ...(command ? { command } : {}),
      options,
      ...(ctx.spec ? { specName: ctx.spec.name } : {}),
      upstream: Object.keys(ctx.upstream).sort(),
      upstreamStatus: Object.fromEntries(Object.entries(ctx.upstream).map(([k, v]) => [k, v.status])),
      runId: ctx.runId,
    });
    behaviour.inspect?.(ctx);
    // Real work through the shared engine: one file per mode.
    await ctx.engine.run({ operations: [{ id: 'w', type: 'file.write', params: { path: `out/${name}${command ? `-${command}` : ''}.txt`, content: name } }] }, { signal: ctx.signal });
    if (behaviour.barrier) await behaviour.barrier.arrive(name, ctx.signal);
    if (behaviour.after) await behaviour.after();
    if (behaviour.throws) {
      behaviour.onDone?.();
      throw new Error(behaviour.throws);
    }
    const artifacts: string[] = [];
    for (const [file, content] of Object.entries(behaviour.artifacts ?? {})) artifacts.push(await ctx.artifacts.write(file, content));
    behaviour.onDone?.();
    const status = behaviour.status ?? 'passed';
    return {
      status,
      summary: `${name}${command ? ` ${command}` : ''} ${status}`,
      findings: status === 'passed' ? [] : [{ severity: status === 'failed' ? ('error' as const) : ('warning' as const), rule: `${name}.probe`, message: `${name} reports ${status}`, file: 'src/a.ts', line: 3 }],
      data: behaviour.data ?? { ran: name },
      artifacts,
    };
  };
  const options = z.object({ spec: z.string().optional(), level: z.number().int().min(1).max(5).default(1) });
  const commands = Object.fromEntries((behaviour.commands ?? []).map((c) => [c, { summary: `${name} ${c}`, options, run: run(c) }]));
  return defineMode({ name, summary: `probe ${name}`, options, commands, run: run(undefined) });
}

export function registryOf(...modes: ModeDefinition[]): ModeRegistry {
  const registry = new ModeRegistry();
  for (const mode of modes) registry.register(mode);
  return registry;
}

export async function tempWorkspace(prefix = 'sparc-pipeline-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export const FIXTURE_SPEC = {
  name: 'todo-service',
  description: 'A small todo API',
  entities: [{ name: 'Todo', fields: ['title:string', 'done:boolean'] }],
  requirements: [{ id: 'R1', text: 'Users can create todos', entity: 'Todo', acceptance: ['POST /todos returns 201 with the created Todo'] }],
};

export interface Timeline {
  stages: Array<{ name: string; status: string; startMs: number; endMs: number; modes: Array<{ name: string; status: string; commands: Array<string | null>; startMs: number; endMs: number }> }>;
}

export async function readTimeline(reportDir: string): Promise<Timeline> {
  return JSON.parse(await fsp.readFile(path.join(reportDir, 'timeline.json'), 'utf8')) as Timeline;
}
