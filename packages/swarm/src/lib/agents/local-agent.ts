import type { AgentDef, AgentReport } from '../model/types';
import type { PlanAgent } from '../plan/parse-plan';

export type LocalAgentStatus = 'idle' | 'busy' | 'terminating' | 'terminated';

/** An in-process agent: its slots, what it is running, and its counters. */
export class LocalAgent {
  readonly def: AgentDef;
  #status: LocalAgentStatus = 'idle';
  readonly running = new Map<string, AbortController>();
  tasksDone = 0;
  tasksFailed = 0;
  busyMs = 0;
  /** Order in which agents last finished something: the longest idle agent is offered work first. */
  lastActive = 0;

  constructor(def: AgentDef) {
    this.def = def;
  }

  get id(): string {
    return this.def.id;
  }

  get status(): LocalAgentStatus {
    return this.#status;
  }

  get accepting(): boolean {
    return this.#status === 'idle' || this.#status === 'busy';
  }

  get freeSlots(): number {
    return this.accepting ? this.def.concurrency - this.running.size : 0;
  }

  started(taskId: string, controller: AbortController): void {
    this.running.set(taskId, controller);
    if (this.#status === 'idle') this.#status = 'busy';
  }

  finished(taskId: string, ok: boolean, durationMs: number, tick: number): void {
    this.running.delete(taskId);
    if (ok) this.tasksDone++;
    else this.tasksFailed++;
    this.busyMs += durationMs;
    this.lastActive = tick;
    this.#settle();
  }

  /** Stops taking work; `force` also aborts what it is running. */
  terminate(force: boolean, reason: unknown): void {
    if (!this.accepting) return;
    this.#status = 'terminating';
    if (force) for (const controller of this.running.values()) controller.abort(reason);
    this.#settle();
  }

  #settle(): void {
    if (this.#status === 'terminating' && this.running.size === 0) this.#status = 'terminated';
    else if (this.#status === 'busy' && this.running.size === 0) this.#status = 'idle';
  }

  report(): AgentReport {
    return {
      id: this.def.id,
      type: this.def.type,
      capabilities: this.def.capabilities,
      concurrency: this.def.concurrency,
      group: this.def.group,
      status: this.#status,
      tasksDone: this.tasksDone,
      tasksFailed: this.tasksFailed,
      busyMs: round(this.busyMs),
    };
  }
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Names agents `<type>-<n>` (numbered per type) and groups after their plan entry. */
export class AgentNamer {
  #perType = new Map<string, number>();
  #groupsPerType = new Map<string, number>();
  #typesWithManyEntries: Set<string>;

  constructor(entries: readonly PlanAgent[]) {
    const seen = new Map<string, number>();
    for (const entry of entries) seen.set(entry.type, (seen.get(entry.type) ?? 0) + 1);
    this.#typesWithManyEntries = new Set([...seen].filter(([, n]) => n > 1).map(([type]) => type));
  }

  /** The agents of one plan entry (or one spawn call): one group. */
  agentsOf(entry: PlanAgent): AgentDef[] {
    const k = (this.#groupsPerType.get(entry.type) ?? 0) + 1;
    this.#groupsPerType.set(entry.type, k);
    const group = k === 1 && !this.#typesWithManyEntries.has(entry.type) ? entry.type : `${entry.type}.${k}`;
    const agents: AgentDef[] = [];
    for (let i = 0; i < entry.count; i++) {
      const n = (this.#perType.get(entry.type) ?? 0) + 1;
      this.#perType.set(entry.type, n);
      agents.push({ id: `${entry.type}-${n}`, type: entry.type, capabilities: entry.capabilities, concurrency: entry.concurrency, group });
    }
    return agents;
  }
}
