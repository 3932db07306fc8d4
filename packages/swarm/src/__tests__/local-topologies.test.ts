import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runLocalSwarm } from '../lib/local/local-swarm';
import { TOPOLOGIES } from '../lib/model/types';
import { bigPlan, eventLog, expectPlanHonoured, tempDir, testModes, workRegistry } from './helpers/work';

describe.each(TOPOLOGIES)('local backend, %s topology', (topology) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir(topology)));
  afterEach(() => cleanup());

  it('runs 500 tasks, each exactly once, on capable agents, after their dependencies', async () => {
    const plan = bigPlan(topology, { withModes: true });
    const { registry, executions } = workRegistry();
    const log = eventLog();
    const report = await runLocalSwarm(plan, { dir, registry, modes: testModes(), onEvent: log.onEvent });

    expect(report.status).toBe('succeeded');
    expect(report.metrics.topology).toBe(topology);
    expect(report.tasks).toHaveLength(500);
    expectPlanHonoured(plan, report, log);
    // Executed once, not only recorded once.
    const counted = plan.tasks.filter((t) => 'operation' in t && t.operation.type === 'test.work');
    for (const task of counted) expect(executions.get(task.id)).toBe(1);
    expect(log.starts).toHaveLength(500);
    // The work is on disk.
    const files = await fsp.readdir(path.join(dir, 'out'));
    expect(files).toHaveLength(495);
    expect(await fsp.readFile(path.join(dir, 'out', 't025.txt'), 'utf8')).toBe('batch t025\n');
    // Mode tasks wrote their report under the run's folder.
    const modeResult = report.tasks.find((t) => t.id === 't099');
    expect(modeResult?.status).toBe('succeeded');
    expect(JSON.parse(await fsp.readFile(path.join(dir, '.sparc', 'reports', report.runId, 't099', 'count.json'), 'utf8')).files).toBeGreaterThan(0);
    // Counters add up.
    const done = report.agents.reduce((sum, a) => sum + a.tasksDone, 0);
    expect(done).toBe(500);
    expect(report.metrics.succeeded).toBe(500);
    expect(report.metrics.attempts).toBe(500);
    expect(report.metrics.retries).toBe(0);
  });
});
