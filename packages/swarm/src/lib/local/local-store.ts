import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessLive } from '@sparc/batch-core';
import { RunNotFoundError, SwarmOptionsError } from '../errors';
import type { AgentDef, AgentReport, RunStatus, SwarmReport, TaskResult, Topology } from '../model/types';
import { parsePlan, planToDocument, type SwarmPlan } from '../plan/parse-plan';
import { NAME_PATTERN } from '../plan/schema';
import { buildReport } from '../report';

/** Local runs keep their state here, one folder per run. */
export const SWARM_DIR = '.sparc/swarm';

interface RunFile {
  version: 1;
  runId: string;
  backend: 'local';
  topology: Topology;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  pid: number;
  host: string;
  plan: Record<string, unknown>;
  agents: AgentDef[];
  report?: SwarmReport;
}

export interface RunListing {
  runId: string;
  backend: 'local' | 'bullmq';
  topology: Topology;
  status: RunStatus;
  startedAt: string;
  tasks: number;
}

export function assertRunId(runId: string): void {
  if (!NAME_PATTERN.test(runId) || runId.includes('..')) {
    throw new SwarmOptionsError(`run id "${runId}" may only hold letters, digits, ".", "_" and "-"`, [{ path: 'runId', message: 'not a safe name' }]);
  }
}

async function writeAtomic(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(temp, content);
  await fsp.rename(temp, file);
}

/** `.sparc/swarm/<run>/run.json` (the plan, then the final report) and `results.jsonl` (one line per task, as results come). */
export class LocalRunStore {
  readonly dir: string;
  #file: RunFile;
  #appends: Promise<void> = Promise.resolve();

  private constructor(dir: string, file: RunFile) {
    this.dir = dir;
    this.#file = file;
  }

  static async create(root: string, runId: string, plan: SwarmPlan, agents: AgentDef[]): Promise<LocalRunStore> {
    assertRunId(runId);
    const dir = path.join(root, SWARM_DIR, runId);
    try {
      await fsp.mkdir(dir, { recursive: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SwarmOptionsError(`a swarm run "${runId}" already exists in ${path.join(root, SWARM_DIR)}`, [{ path: 'runId', message: 'already used' }]);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await fsp.mkdir(dir, { recursive: true });
    }
    const file: RunFile = {
      version: 1,
      runId,
      backend: 'local',
      topology: plan.topology,
      status: 'running',
      startedAt: Date.now(),
      pid: process.pid,
      host: os.hostname(),
      plan: planToDocument(plan),
      agents,
    };
    const store = new LocalRunStore(dir, file);
    await writeAtomic(path.join(dir, 'run.json'), JSON.stringify(file, null, 2));
    await fsp.writeFile(path.join(dir, 'results.jsonl'), '');
    return store;
  }

  get startedAt(): number {
    return this.#file.startedAt;
  }

  /** Appends in order, one after the other, so lines never interleave. */
  appendResult(result: TaskResult): Promise<void> {
    const line = `${JSON.stringify(result)}\n`;
    this.#appends = this.#appends.then(() => fsp.appendFile(path.join(this.dir, 'results.jsonl'), line));
    return this.#appends;
  }

  async finish(report: SwarmReport): Promise<void> {
    await this.#appends;
    this.#file = { ...this.#file, status: report.status, finishedAt: Date.now(), report };
    await writeAtomic(path.join(this.dir, 'run.json'), JSON.stringify(this.#file, null, 2));
  }
}

async function readRunFile(root: string, runId: string): Promise<RunFile> {
  assertRunId(runId);
  const file = path.join(root, SWARM_DIR, runId, 'run.json');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new RunNotFoundError(runId, path.join(root, SWARM_DIR));
  }
  return JSON.parse(text) as RunFile;
}

async function readResults(root: string, runId: string): Promise<Map<string, TaskResult>> {
  const text = await fsp.readFile(path.join(root, SWARM_DIR, runId, 'results.jsonl'), 'utf8').catch(() => '');
  const results = new Map<string, TaskResult>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const result = JSON.parse(line) as TaskResult;
      if (!results.has(result.id)) results.set(result.id, result);
    } catch {
      // A line cut short by a crash mid-write: the task counts as not finished.
    }
  }
  return results;
}

/** Agent counters from final results, for runs that ended without a report. */
export function agentsFromResults(agents: AgentDef[], results: Iterable<TaskResult>, status: AgentReport['status']): AgentReport[] {
  const reports = new Map<string, AgentReport>(agents.map((a) => [a.id, { ...a, status, tasksDone: 0, tasksFailed: 0, busyMs: 0 }]));
  for (const result of results) {
    const report = result.agent ? reports.get(result.agent) : undefined;
    if (!report) continue;
    if (result.status === 'succeeded') report.tasksDone++;
    else report.tasksFailed++;
    report.busyMs = Math.round((report.busyMs + result.durationMs) * 100) / 100;
  }
  return [...reports.values()];
}

/** The report of a local run: the final one, or one built from the results so far (running, or interrupted by a crash). */
export async function readLocalRun(root: string, runId: string): Promise<SwarmReport> {
  const file = await readRunFile(root, runId);
  if (file.report) return file.report;
  const plan = parsePlan(file.plan);
  const results = await readResults(root, runId);
  const alive = file.host === os.hostname() && isProcessLive(file.pid);
  return buildReport({
    runId,
    topology: file.topology,
    backend: 'local',
    tasks: plan.tasks,
    results,
    agents: agentsFromResults(file.agents, results.values(), alive ? 'busy' : 'terminated'),
    startedAt: file.startedAt,
    openStatus: alive ? 'running' : 'interrupted',
  });
}

export async function listLocalRuns(root: string): Promise<RunListing[]> {
  const entries = await fsp.readdir(path.join(root, SWARM_DIR), { withFileTypes: true }).catch(() => []);
  const runs: RunListing[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !NAME_PATTERN.test(entry.name)) continue;
    try {
      const file = await readRunFile(root, entry.name);
      const alive = file.host === os.hostname() && isProcessLive(file.pid);
      const status = file.report ? file.status : alive ? 'running' : 'interrupted';
      const tasks = Array.isArray((file.plan as { tasks?: unknown[] }).tasks) ? (file.plan as { tasks: unknown[] }).tasks.length : 0;
      runs.push({ runId: file.runId, backend: 'local', topology: file.topology, status, startedAt: new Date(file.startedAt).toISOString(), tasks });
    } catch {
      // Not a run folder (or an unreadable one): left out of the list.
    }
  }
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
