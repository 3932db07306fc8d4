import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { defineMode, ModeRegistry } from '@sparc/batch-core';
import { z } from 'zod';
import { main } from '../cli/main';
import { makeWorkspace, runCli, startCli } from '../cli/__tests__/run-cli';
import { waitFor, writePlan, type SwarmJson } from './swarm-helpers';

const TASK_KEYS = ['id', 'status', 'agent', 'attempts', 'durationMs'];

function plan() {
  const tasks: Array<Record<string, unknown>> = [
    { id: 'mkdir', capability: 'coder', operation: { type: 'file.mkdir', params: { path: 'src' } } },
    ...Array.from({ length: 24 }, (_, i) => ({ id: `write-${i}`, capability: i % 2 ? 'coder' : 'tester', dependsOn: ['mkdir'], operation: { type: 'file.write', params: { path: `src/f${i}.txt`, content: `${i}\n` } } })),
    { id: 'index', capability: 'researcher', dependsOn: ['write-0', 'write-1'], batch: { operations: [{ id: 'glob', type: 'search.glob', params: { patterns: 'src/*.txt' } }, { id: 'note', type: 'file.write', params: { path: 'index.md', content: 'done' } }] } },
  ];
  return { topology: 'mesh', agents: [{ type: 'coder', count: 2 }, { type: 'tester' }, { type: 'researcher', concurrency: 2 }], tasks };
}

describe('sparc swarm (local backend)', () => {
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ root, ws, cleanup } = await makeWorkspace()));
  afterEach(() => cleanup());

  it('runs a plan and prints { runId, status, tasks, agents, metrics } with one entry per task; status reads it back later', async () => {
    const file = await writePlan(root, plan());
    const run = runCli(['swarm', 'run', '--dir', ws, '--plan', file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as SwarmJson;
    expect(Object.keys(report)).toEqual(['runId', 'status', 'tasks', 'agents', 'metrics']);
    expect(report.status).toBe('succeeded');
    expect(report.tasks.map((t) => t.id)).toEqual(plan().tasks.map((t) => t.id));
    for (const task of report.tasks) {
      expect(Object.keys(task)).toEqual(TASK_KEYS);
      expect(task).toMatchObject({ status: 'succeeded', attempts: 1 });
    }
    expect(report.agents.map((a) => a.id)).toEqual(['coder-1', 'coder-2', 'tester-1', 'researcher-1']);
    expect(report.metrics).toMatchObject({ topology: 'mesh', backend: 'local', tasks: 26, succeeded: 26, failed: 0 });
    expect(await fsp.readFile(path.join(ws, 'src', 'f7.txt'), 'utf8')).toBe('7\n');
    expect(await fsp.readFile(path.join(ws, 'index.md'), 'utf8')).toBe('done');

    const status = runCli(['swarm', 'status', report.runId, '--dir', ws, '--json']);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual(report);
    const list = runCli(['swarm', 'status', '--dir', ws, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ runId: report.runId, status: 'succeeded', backend: 'local', tasks: 26 })]);
  });

  it('reports failed tasks with their error after the retries the plan allows, and exits 1', async () => {
    const file = await writePlan(root, {
      agents: [{ type: 'coder' }],
      tasks: [
        { id: 'read-missing', capability: 'coder', retry: { attempts: 3, backoffMs: 1 }, operation: { type: 'file.read', params: { path: 'missing.txt' } } },
        { id: 'after', capability: 'coder', dependsOn: ['read-missing'], operation: { type: 'file.mkdir', params: { path: 'x' } } },
        { id: 'fine', capability: 'coder', operation: { type: 'file.mkdir', params: { path: 'y' } } },
      ],
    });
    const run = runCli(['swarm', 'run', '--dir', ws, '--plan', file, '--json', '--topology', 'ring']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as SwarmJson;
    expect(report.status).toBe('partial');
    expect(report.metrics.topology).toBe('ring');
    expect(report.tasks[0]).toMatchObject({ id: 'read-missing', status: 'failed', agent: 'coder-1', attempts: 3, error: { code: 'ENOENT' } });
    expect(report.tasks[1]).toMatchObject({ id: 'after', status: 'skipped', agent: null, attempts: 0, error: { code: 'DEPENDENCY_FAILED' } });
    expect(report.tasks[2]).toMatchObject({ id: 'fine', status: 'succeeded' });
  });

  it('prints a table, the agents and a summary without --json', async () => {
    const file = await writePlan(root, plan());
    const run = runCli(['swarm', 'run', '--dir', ws, '--plan', file, '--run-id', 'human', '--topology', 'star']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✔ +mkdir +succeeded +coder-\d +1 attempt/);
    expect(run.stdout).toContain('agents:\n  coder-1');
    expect(lines[lines.length - 2]).toMatch(/^swarm run human succeeded: 26 tasks \(26 succeeded\) · star on local · 4 agents · .* tasks\/s · utilization \d+%$/);
    // The workspace is outside the working folder, so its path is shown in full.
    expect(lines[lines.length - 1]).toBe(`state: ${path.join(ws, '.sparc', 'swarm', 'human')}/ (sparc swarm status human)`);
  });

  it('runs mode tasks with the CLI’s modes, passing each one the results of the modes it depends on', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const probe = defineMode({
      name: 'probe',
      summary: 'Counts the files of a folder and reports what came before',
      options: z.object({ folder: z.string().default('.') }),
      async run(ctx, options) {
        const files = await fsp.readdir(ctx.workspace.resolve(options.folder));
        seen.push(Object.fromEntries(Object.entries(ctx.upstream).map(([k, v]) => [k, v.data])));
        return { status: 'passed', summary: `${files.length} files`, findings: [], data: { files: files.length }, artifacts: [await ctx.artifacts.write('probe.txt', String(files.length))] };
      },
    });
    const file = await writePlan(root, {
      components: [{ name: 'app', modes: [{ name: 'probe', options: { folder: '.' } }, { name: 'probe', options: { folder: '.' } }] }],
    });
    let stdout = '';
    let stderr = '';
    const code = await main(['swarm', 'run', '--dir', ws, '--plan', file, '--json', '--run-id', 'modes'], {
      modes: new ModeRegistry().register(probe),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as SwarmJson;
    expect(report.tasks.map((t) => [t.id, t.status])).toEqual([
      ['app.probe', 'succeeded'],
      ['app.probe-2', 'succeeded'],
    ]);
    // The workspace holds .sparc/ (the run's own state) when the first probe looks.
    expect(seen).toEqual([{}, { probe: { files: 1 } }]);
    expect(await fsp.readFile(path.join(ws, '.sparc', 'reports', 'modes', 'app.probe-2', 'probe.txt'), 'utf8')).toBe('1');
  });

  it('refuses bad arguments and bad plans with exit 2, naming the problem, before anything runs', async () => {
    const good = await writePlan(root, plan());
    const cases: Array<[string[], RegExp]> = [
      [['swarm'], /Usage: sparc swarm run\|worker\|status/],
      [['swarm', 'sprint'], /unknown swarm subcommand "sprint" \(known: run, worker, status\)/],
      [['swarm', 'run', '--dir', ws], /"sparc swarm run" needs --plan FILE/],
      [['swarm', 'run', '--plan', good, '--backend', 'redis'], /--backend must be one of local, bullmq \(got "redis"\)/],
      [['swarm', 'run', '--plan', good, '--topology', 'tree'], /--topology must be one of mesh, hierarchical, star, ring/],
      [['swarm', 'run', '--plan', good, '--redis', 'redis://x'], /--redis and --prefix only apply to --backend bullmq/],
      [['swarm', 'run', '--plan', good, '--backend', 'bullmq'], /--backend bullmq needs --redis URL/],
      [['swarm', 'run', '--plan', path.join(root, 'none.json')], /cannot read plan file ".*none.json": no such file/],
      [['swarm', 'worker', '--dir', ws], /"sparc swarm worker" needs --redis URL/],
      [['swarm', 'worker', '--redis', 'redis://127.0.0.1:1', '--agents', '0'], /--agents must be a positive integer \(got "0"\)/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    const bad = await writePlan(root, { agents: [{ type: 'coder' }], tasks: [{ id: 'a', capability: 'coder', operation: { type: 'file.mkdir', params: { path: 'a' } } }, { id: 'a', capability: 'tester', operation: { type: 'nope' } }] }, 'bad.json');
    const dup = runCli(['swarm', 'run', '--dir', ws, '--plan', bad]);
    expect(dup.status).toBe(2);
    expect(dup.stderr).toContain('invalid plan in');
    expect(dup.stderr).toContain('tasks[1].id: duplicate task id "a" (first at tasks[0])');
    const uncovered = await writePlan(root, { agents: [{ type: 'coder' }], tasks: [{ id: 'a', capability: 'tester', operation: { type: 'nope' } }] }, 'uncovered.json');
    const run = runCli(['swarm', 'run', '--dir', ws, '--plan', uncovered]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('tasks[0].capability: no agent has capability "tester" (agents have: coder)');
    // Nothing ran: no run state was written.
    expect(await fsp.readdir(path.join(ws, '.sparc', 'swarm')).catch(() => [])).toEqual([]);
  });

  it('a run killed part-way reads back as interrupted, with the results it had', async () => {
    // A server that never answers holds the second task until the CLI is killed.
    const sockets = new Set<import('node:net').Socket>();
    const server = http.createServer(() => undefined);
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as import('node:net').AddressInfo).port;
    try {
      const file = await writePlan(root, {
        agents: [{ type: 'coder' }],
        tasks: [
          { id: 'first', capability: 'coder', operation: { type: 'file.write', params: { path: 'first.txt', content: '1' } } },
          { id: 'hangs', capability: 'coder', dependsOn: ['first'], operation: { type: 'http.request', params: { url: `http://127.0.0.1:${port}/` } } },
        ],
      });
      const { child, done } = startCli(['swarm', 'run', '--dir', ws, '--plan', file, '--run-id', 'crash']);
      const results = path.join(ws, '.sparc', 'swarm', 'crash', 'results.jsonl');
      await waitFor(async () => sockets.size > 0 && (await fsp.readFile(results, 'utf8').catch(() => '')).includes('"first"'), 'the second task to start');
      child.kill('SIGKILL');
      await done;
      const status = runCli(['swarm', 'status', 'crash', '--dir', ws, '--json']);
      expect(status.status).toBe(0);
      const report = JSON.parse(status.stdout) as SwarmJson;
      expect(report.status).toBe('interrupted');
      expect(report.tasks).toEqual([expect.objectContaining({ id: 'first', status: 'succeeded', agent: 'coder-1' }), { id: 'hangs', status: 'pending', agent: null, attempts: 0, durationMs: 0 }]);
      const missing = runCli(['swarm', 'status', 'nope', '--dir', ws]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('no swarm run "nope"');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('has help for each subcommand, and sparc --help lists swarm', () => {
    expect(runCli(['--help']).stdout).toMatch(/swarm run\|worker\|status +agents working through a plan/);
    for (const sub of ['run', 'worker', 'status']) {
      const run = runCli(['swarm', sub, '--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Usage: sparc swarm ${sub}`);
    }
  });
});
