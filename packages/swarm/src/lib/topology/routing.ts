import type { AgentDef, Route, TaskDef, Topology } from '../model/types';

/** What a router sees of the swarm when a task becomes ready. */
export interface RoutingView {
  /** Agents that accept new work, in spawn (ring) order. */
  agents: readonly AgentDef[];
  /** Tasks routed to an agent or group and not finished yet. */
  load(route: Route): number;
  /** Tasks ever routed there: the tie-breaker that spreads equal loads round-robin. */
  total(route: Route): number;
  /** Ring: stage names (agent types) in ring order. */
  stages: readonly string[];
  /**
   * Agents may still join (bullmq workers): a capability nobody has yet is not an error, the task
   * waits in the capability's queue.
   */
  open: boolean;
}

export interface Router {
  readonly topology: Topology;
  /**
   * Ring: a stage releases finished tasks to their dependents in the order the tasks reached it,
   * so items leave every stage in the order they entered the first.
   */
  readonly ordered: boolean;
  /** Where `task` goes; undefined when no agent can take it now. `fromStage`: ring stage of the dependency that released it. */
  route(task: TaskDef, view: RoutingView, fromStage?: string): Route | undefined;
}

const capable = (view: RoutingView, capability: string) => view.agents.filter((a) => a.capabilities.includes(capability));

/** mesh: one shared queue per capability; whichever capable agent is free takes the next task. */
export const meshRouter: Router = {
  topology: 'mesh',
  ordered: false,
  route(task, view) {
    if (!view.open && capable(view, task.capability).length === 0) return undefined;
    return { kind: 'capability', capability: task.capability };
  },
};

/** star: one dispatcher pushes each task to the capable agent with the least load (relative to its concurrency). */
export const starRouter: Router = {
  topology: 'star',
  ordered: false,
  route(task, view) {
    let best: { route: Route; load: number; total: number } | undefined;
    for (const agent of capable(view, task.capability)) {
      const route: Route = { kind: 'agent', agent: agent.id };
      const load = view.load(route) / agent.concurrency;
      const total = view.total(route) / agent.concurrency;
      if (!best || load < best.load || (load === best.load && total < best.total)) best = { route, load, total };
    }
    return best?.route;
  },
};

/**
 * hierarchical: the top coordinator hands each task to the least-loaded group that can do it
 * (load relative to the group's capable slots); the group's own coordinator gives it to one of
 * its agents. A task never leaves the group it was handed to.
 */
export const hierarchicalRouter: Router = {
  topology: 'hierarchical',
  ordered: false,
  route(task, view) {
    const capacity = new Map<string, number>();
    for (const agent of capable(view, task.capability)) capacity.set(agent.group, (capacity.get(agent.group) ?? 0) + agent.concurrency);
    let best: { route: Route; load: number; total: number } | undefined;
    for (const [group, slots] of capacity) {
      const route: Route = { kind: 'group', group };
      const load = view.load(route) / slots;
      const total = view.total(route) / slots;
      if (!best || load < best.load || (load === best.load && total < best.total)) best = { route, load, total };
    }
    return best?.route;
  },
};

/**
 * ring: agents of one type form a stage, stages form a ring in spawn order. A task enters the
 * first stage that can do it, walking on from the stage its dependency finished in; each stage
 * serves its inbox first come, first served (priorities do not reorder a ring).
 */
export const ringRouter: Router = {
  topology: 'ring',
  ordered: true,
  route(task, view, fromStage) {
    const stages = view.stages;
    if (stages.length === 0) return undefined;
    const start = fromStage !== undefined && stages.includes(fromStage) ? stages.indexOf(fromStage) + 1 : 0;
    for (let step = 0; step < stages.length; step++) {
      const stage = stages[(start + step) % stages.length];
      if (view.agents.some((a) => a.type === stage && a.capabilities.includes(task.capability))) return { kind: 'stage', stage };
    }
    return undefined;
  },
};

export const ROUTERS: Record<Topology, Router> = {
  mesh: meshRouter,
  star: starRouter,
  hierarchical: hierarchicalRouter,
  ring: ringRouter,
};

/** A stable key for a route (queue names, load counters). */
export function routeKey(route: Route): string {
  switch (route.kind) {
    case 'capability':
      return `cap-${route.capability}`;
    case 'agent':
      return `agent-${route.agent}`;
    case 'group':
      return `group-${route.group}`;
    case 'stage':
      return `stage-${route.stage}`;
  }
}

/** Can `agent` serve a task that was routed to `route`? */
export function servesRoute(agent: AgentDef, route: Route): boolean {
  switch (route.kind) {
    case 'capability':
      return agent.capabilities.includes(route.capability);
    case 'agent':
      return agent.id === route.agent;
    case 'group':
      return agent.group === route.group;
    case 'stage':
      return agent.type === route.stage;
  }
}
