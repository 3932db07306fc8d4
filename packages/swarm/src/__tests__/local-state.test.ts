import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { defineMode, ModeRegistry } from '@sparc/batch-core';
import { z } from 'zod';
import { listLocalRuns, readLocalRun, SWARM_DIR } from '../lib/local/local-store';
import { runLocalSwarm } from '../lib/local/local-swarm';
import { swarmStatus } from '../lib/run-swarm';
import { tempDir, testModes } from './helpers/work';

/** Says which upstream results it received, so a test can see what dependencies passed on. */
const echoUpstream = defineMode({
  name: 'echo-upstream',
  summary: 'Reports its upstream',
  options: z.object({ tag: z.string().default('') }),
  async run(ctx, options) {
    const seen = Object.fromEntries(Object.entries(ctx.upstream).map(([mode, result]) => [mode, result.data]));
    return { status: 'passed', summary: `saw ${Object.keys(seen).join(',') || 'nothing'}`, findings: [], data: { tag: options.tag, seen }, artifacts: [] };
  },
});

describe('local run state under .sparc/swarm', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('state')));
  afterEach(() => cleanup());

  it('keeps the plan, every result and the report, so status works after the run', async () => {
    const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, capability: 'coder', operation: { type: 'file.write', params: { path: `f${i}.txt`, content: 'x' } } }));
    const report = await runLocalSwarm({ topology: 'star', agents: [{ type: 'coder', count: 2 }], tasks: [...tasks, { id: 'bad', capability: 'coder', operation: { type: 'file.read', params: { path: 'missing' } } }] }, { dir, runId: 'run-1' });
    expect(report.runId).toBe('run-1');
    expect(report.status).toBe('partial');

    const runDir = path.join(dir, SWARM_DIR, 'run-1');
    const lines = (await fsp.readFile(path.join(runDir, 'results.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(new Set(lines.map((l) => JSON.parse(l).id)).size).toBe(21);

    const later = await swarmStatus('run-1', { dir });
    expect(later).toEqual(report);
    expect(await listLocalRuns(dir)).toEqual([{ runId: 'run-1', backend: 'local', topology: 'star', status: 'partial', startedAt: expect.any(String), tasks: 21 }]);
  });

  it('reads a run that died part-way as interrupted, with the results it had', async () => {
    await runLocalSwarm({ agents: [{ type: 'coder' }], tasks: [{ id: 'a', capability: 'coder', operation: { type: 'file.mkdir', params: { path: 'a' } } }, { id: 'b', capability: 'coder', dependsOn: ['a'], operation: { type: 'file.mkdir', params: { path: 'b' } } }] }, { dir, runId: 'crashed' });
    // What a crash leaves: run.json without the report, from a process that is gone, and the results written so far.
    const runFile = path.join(dir, SWARM_DIR, 'crashed', 'run.json');
    const file = JSON.parse(await fsp.readFile(runFile, 'utf8'));
    delete file.report;
    file.status = 'running';
    file.pid = 2 ** 22 + 12345;
    await fsp.writeFile(runFile, JSON.stringify(file));
    const resultsFile = path.join(dir, SWARM_DIR, 'crashed', 'results.jsonl');
    const first = (await fsp.readFile(resultsFile, 'utf8')).split('\n')[0];
    await fsp.writeFile(resultsFile, `${first}\n{"id":"b","stat`);

    const report = await readLocalRun(dir, 'crashed');
    expect(report.status).toBe('interrupted');
    expect(report.tasks).toEqual([
      expect.objectContaining({ id: 'a', status: 'succeeded', agent: 'coder-1' }),
      { id: 'b', status: 'pending', agent: null, attempts: 0, durationMs: 0 },
    ]);
    expect(report.agents[0]).toMatchObject({ id: 'coder-1', tasksDone: 1, status: 'terminated' });
  });

  it('refuses an unknown run and a run id that is not a plain name', async () => {
    await expect(readLocalRun(dir, 'nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(readLocalRun(dir, '../etc')).rejects.toMatchObject({ code: 'INVALID_SWARM_OPTIONS' });
  });

  it('runs the seed swarm pattern: components in parallel, modes in order, each mode seeing the ones before it', async () => {
    const modes = new ModeRegistry().register(echoUpstream).register(testModes().get('count-files'));
    await fsp.mkdir(path.join(dir, 'web'));
    await fsp.writeFile(path.join(dir, 'web', 'index.html'), '<p>');
    const report = await runLocalSwarm(
      {
        components: [
          { name: 'frontend', modes: [{ name: 'count-files', options: { folder: 'web' } }, { name: 'echo-upstream', options: { tag: 'fe' } }], agents: 2 },
          { name: 'docs', modes: [{ name: 'echo-upstream', options: { tag: 'docs' } }], type: 'documenter' },
        ],
      },
      { dir, modes, runId: 'components' },
    );
    expect(report.status).toBe('succeeded');
    expect(report.tasks.map((t) => [t.id, t.status])).toEqual([
      ['frontend.count-files', 'succeeded'],
      ['frontend.echo-upstream', 'succeeded'],
      ['docs.echo-upstream', 'succeeded'],
    ]);
    expect(report.agents.map((a) => [a.id, a.group])).toEqual([
      ['coder-1', 'coder'],
      ['coder-2', 'coder'],
      ['documenter-1', 'documenter'],
    ]);
    // The stored result of the second frontend mode shows what it was handed.
    const results = (await fsp.readFile(path.join(dir, SWARM_DIR, 'components', 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const echo = results.find((r) => r.id === 'frontend.echo-upstream');
    expect(echo.output.data).toEqual({ tag: 'fe', seen: { 'count-files': { files: 1, upstream: [] } } });
    expect(results.find((r) => r.id === 'docs.echo-upstream').output.data.seen).toEqual({});
  });
});
