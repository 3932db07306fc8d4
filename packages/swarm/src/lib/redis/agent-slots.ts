import type { AgentDef, Route } from '../model/types';
import { servesRoute } from '../topology/routing';

interface Slot {
  agent: AgentDef;
  running: number;
  lastActive: number;
}

/**
 * A worker process's agents and their free slots. A job from any queue takes a slot of an agent
 * that serves its route and has the capability, the one idle the longest first; when every
 * fitting agent is full (an agent serves several queues) the job waits for one.
 */
export class AgentSlots {
  readonly #slots: Slot[];
  #waiters: Array<{ fits: (agent: AgentDef) => boolean; resolve: (agent: AgentDef) => void }> = [];
  #tick = 0;

  constructor(agents: AgentDef[]) {
    this.#slots = agents.map((agent) => ({ agent, running: 0, lastActive: 0 }));
  }

  static fits(route: Route, capability: string): (agent: AgentDef) => boolean {
    return (agent) => servesRoute(agent, route) && agent.capabilities.includes(capability);
  }

  acquire(fits: (agent: AgentDef) => boolean): Promise<AgentDef> {
    const slot = this.#free(fits);
    if (slot) {
      slot.running++;
      return Promise.resolve(slot.agent);
    }
    return new Promise((resolve) => this.#waiters.push({ fits, resolve }));
  }

  release(agent: AgentDef): void {
    const slot = this.#slots.find((s) => s.agent.id === agent.id);
    if (!slot) return;
    slot.running--;
    slot.lastActive = ++this.#tick;
    const index = this.#waiters.findIndex((w) => w.fits(agent));
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      slot.running++;
      waiter.resolve(agent);
    }
  }

  running(agentId: string): number {
    return this.#slots.find((s) => s.agent.id === agentId)?.running ?? 0;
  }

  #free(fits: (agent: AgentDef) => boolean): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.running >= slot.agent.concurrency || !fits(slot.agent)) continue;
      if (!best || slot.lastActive < best.lastActive) best = slot;
    }
    return best;
  }
}
