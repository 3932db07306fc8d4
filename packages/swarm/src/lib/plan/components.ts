import type { z } from 'zod';
import type { agentSpecSchema, componentSpecSchema, taskSpecSchema } from './schema';

type Component = z.output<typeof componentSpecSchema>;
type AgentEntry = z.output<typeof agentSpecSchema>;
type TaskEntry = z.input<typeof taskSpecSchema>;

/**
 * Turns the seed's component pattern into agents and tasks. Each component gets its own agents
 * (capability = component name) and one mode task per mode, named `<component>.<mode>`; unless
 * `parallel`, each mode waits for the previous one, which also hands it the earlier results as
 * `ctx.upstream`. Components run side by side unless one lists another in `dependsOn`.
 */
export function expandComponents(components: Component[]): { agents: AgentEntry[]; tasks: TaskEntry[] } {
  const agents: AgentEntry[] = [];
  const tasks: TaskEntry[] = [];
  const lastTasks = new Map<string, string[]>();
  for (const component of components) {
    agents.push({ type: component.type, count: component.agents, capabilities: [component.name], concurrency: 1 });
    const seen = new Map<string, number>();
    const ids: string[] = [];
    const upstreamComponents = (component.dependsOn ?? []).flatMap((name) => lastTasks.get(name) ?? [`${name}.<unknown component>`]);
    for (const entry of component.modes) {
      const mode = typeof entry === 'string' ? { name: entry } : entry;
      const n = (seen.get(mode.name) ?? 0) + 1;
      seen.set(mode.name, n);
      const id = `${component.name}.${mode.name}${n > 1 ? `-${n}` : ''}`;
      const previous = component.parallel || ids.length === 0 ? upstreamComponents : [ids[ids.length - 1]];
      tasks.push({ id, capability: component.name, mode, ...(previous.length > 0 ? { dependsOn: previous } : {}) });
      ids.push(id);
    }
    lastTasks.set(component.name, component.parallel ? ids : [ids[ids.length - 1]]);
  }
  return { agents, tasks };
}
