import { CancelledError, newRunId, toErrorInfo, Workspace, type BatchEngine, type ModeRegistry, type OperationRegistry } from '@sparc/batch-core';
import { AgentNamer } from '../agents/local-agent';
import { TaskExecutor, type ModeRunner } from '../execution/task-executor';
import { PlanError } from '../errors';
import type { AgentDef, AgentReport, SwarmEvent, SwarmReport, TaskResult, Topology } from '../model/types';
import { assertCapabilitiesCovered, parsePlan, type PlanAgent, type SwarmPlan } from '../plan/parse-plan';
import { agentSpecSchema, type AgentSpec } from '../plan/schema';
import { buildReport } from '../report';
import { Coordinator } from '../scheduling/coordinator';
import { ROUTERS } from '../topology/routing';
import { LocalRunStore } from './local-store';
import { LocalTransport } from './local-transport';

export interface LocalSwarmOptions {
  /** Workspace root for the tasks' work and for `.sparc/swarm/` state. */
  dir?: string;
  workspace?: Workspace;
  /** Overrides the plan's topology. */
  topology?: Topology;
  runId?: string;
  engine?: BatchEngine;
  registry?: OperationRegistry;
  modes?: ModeRegistry;
  runMode?: ModeRunner;
  /** Record batch tasks in `.sparc/metrics.jsonl`. @default true */
  recordMetrics?: boolean;
  /** Keep run state under `.sparc/swarm/<run>/` so `sparc swarm status` can read it later. @default true */
  persist?: boolean;
  signal?: AbortSignal;
  onEvent?(event: SwarmEvent): void;
}

/** A swarm of in-process agents working through a plan. `done` resolves with the report. */
export class LocalSwarm {
  readonly runId: string;
  readonly plan: SwarmPlan;
  readonly done: Promise<SwarmReport>;
  readonly #transport: LocalTransport;
  readonly #namer: AgentNamer;

  private constructor(runId: string, plan: SwarmPlan, transport: LocalTransport, namer: AgentNamer, done: Promise<SwarmReport>) {
    this.runId = runId;
    this.plan = plan;
    this.#transport = transport;
    this.#namer = namer;
    this.done = done;
  }

  /** Validates the plan (payloads against the engine and mode registry too), spawns its agents and starts the work. */
  static async start(planInput: SwarmPlan | unknown, options: LocalSwarmOptions = {}): Promise<LocalSwarm> {
    const parsed = isSwarmPlan(planInput) ? planInput : parsePlan(planInput);
    const plan: SwarmPlan = { ...parsed, topology: options.topology ?? parsed.topology };
    assertCapabilitiesCovered(plan);
    const workspace = options.workspace ?? (await Workspace.open(options.dir ?? process.cwd()));
    const runId = options.runId ?? newRunId();
    const executor = new TaskExecutor({
      workspace,
      runId,
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.modes ? { modes: options.modes } : {}),
      ...(options.runMode ? { runMode: options.runMode } : {}),
      record: options.recordMetrics !== false,
    });
    try {
      validatePayloads(plan, executor);
    } catch (error) {
      await executor.close();
      throw error;
    }

    const namer = new AgentNamer(plan.agents);
    const agents = plan.agents.flatMap((entry) => namer.agentsOf(entry));
    const store = options.persist === false ? undefined : await LocalRunStore.create(workspace.root, runId, plan, agents);
    const startedAt = store?.startedAt ?? Date.now();
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason ?? new CancelledError('cancelled'));
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });

    let fatal: unknown;
    const failRun = (error: unknown) => {
      if (fatal !== undefined) return;
      fatal = error;
      controller.abort(error);
    };
    const persist = async (result: TaskResult) => {
      await store?.appendResult(result);
      return true;
    };
    const transport = new LocalTransport({ executor, runId, signal: controller.signal, persist, onFatal: failRun, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
    transport.add(agents);
    const coordinator = new Coordinator({ plan, router: ROUTERS[plan.topology], transport, persist, onFatal: failRun, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
    transport.attach(coordinator);

    const onAbort = () => {
      coordinator.cancel(toErrorInfo(controller.signal.reason));
      transport.cancelQueued(controller.signal.reason).catch(failRun);
    };
    controller.signal.addEventListener('abort', onAbort, { once: true });

    const done = (async () => {
      try {
        coordinator.start();
        await coordinator.done;
        await transport.idle();
        for (const agent of transport.all()) agent.terminate(false, undefined);
        if (fatal !== undefined) throw fatal;
        const report = buildReport({
          runId,
          topology: plan.topology,
          backend: 'local',
          tasks: plan.tasks,
          results: coordinator.results,
          agents: transport.all().map((a) => a.report()),
          startedAt,
          finishedAt: Date.now(),
          cancelled: coordinator.isCancelled,
          duplicates: coordinator.duplicates,
        });
        await store?.finish(report);
        return report;
      } finally {
        options.signal?.removeEventListener('abort', onOuterAbort);
        controller.signal.removeEventListener('abort', onAbort);
        await executor.close();
      }
    })();
    // The caller may only look at `done` later; a rejection must not count as unhandled meanwhile.
    done.catch(() => undefined);
    return new LocalSwarm(runId, plan, transport, namer, done);
  }

  /** Adds agents while the swarm runs (a group of their own). */
  spawn(spec: AgentSpec): AgentDef[] {
    const parsed = agentSpecSchema.safeParse(spec);
    if (!parsed.success) throw new PlanError(`invalid agent: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const entry: PlanAgent = {
      type: parsed.data.type,
      count: parsed.data.count,
      capabilities: [parsed.data.type, ...(parsed.data.capabilities ?? []).filter((c) => c !== parsed.data.type)],
      concurrency: parsed.data.concurrency,
    };
    const defs = this.#namer.agentsOf(entry);
    this.#transport.add(defs);
    this.#transport.spawned();
    return defs;
  }

  /** Stops an agent taking work (`force`: also aborts what it runs); work queued for it alone is routed again. */
  terminate(agentId: string, options: { force?: boolean } = {}): boolean {
    return this.#transport.terminate(agentId, options.force === true);
  }

  /** Each agent's status and counters now. */
  agents(): AgentReport[] {
    return this.#transport.all().map((a) => a.report());
  }
}

/** Runs a plan on in-process agents and resolves with the report. */
export async function runLocalSwarm(plan: SwarmPlan | unknown, options: LocalSwarmOptions = {}): Promise<SwarmReport> {
  const swarm = await LocalSwarm.start(plan, options);
  return swarm.done;
}

export function isSwarmPlan(value: unknown): value is SwarmPlan {
  const plan = value as SwarmPlan | null;
  return !!plan && Array.isArray(plan.tasks) && plan.tasks.every((t) => typeof (t as { seq?: unknown }).seq === 'number' && typeof (t as { kind?: unknown }).kind === 'string');
}

/** Bad batches, operations and unknown modes are reported before any task runs. */
export function validatePayloads(plan: SwarmPlan, executor: TaskExecutor): void {
  const issues: Array<{ path: string; message: string }> = [];
  for (const task of plan.tasks) {
    try {
      executor.validate(task);
    } catch (error) {
      const info = toErrorInfo(error);
      issues.push({ path: `tasks[${task.seq}].${task.kind}`, message: `task "${task.id}": ${info.message}` });
    }
  }
  if (issues.length > 0) {
    throw new PlanError(`invalid plan: ${issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 10 ? `; and ${issues.length - 10} more` : ''}`, issues);
  }
}
