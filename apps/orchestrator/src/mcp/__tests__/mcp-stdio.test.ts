import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isProcessLive } from '@sparc/batch-core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { answerIdWhere, errorsBesidesClientRace, firstText, progressOnWire, spawnServer, tempDir, type SpawnedServer } from './mcp-client';

const TOOLS = ['batch_execute', 'batch_performance', 'project_init_batch', 'sparc_list_modes', 'sparc_run_mode', 'sparc_run_pipeline'];

type Structured = Record<string, unknown> & { results?: Array<Record<string, unknown>> };

async function call(server: SpawnedServer, name: string, args: unknown): Promise<CallToolResult> {
  return (await server.client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult;
}

async function waitUntil(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('sparc mcp over stdio, driven by the SDK client (no --allow-exec)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;
  let server: SpawnedServer;

  beforeAll(async () => {
    ({ dir: ws, cleanup } = await tempDir('stdio'));
    server = await spawnServer(['--dir', ws]);
  });

  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('lists the six tools, each with an input and an output schema', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(20);
    }
    const batch = tools.find((t) => t.name === 'batch_execute');
    expect(Object.keys(batch?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['operations', 'concurrency', 'atomic', 'dryRun', 'failFast']));
  });

  it('runs a batch: files on disk, the BatchResult in batch order, one progress notification per operation', async () => {
    const progress: string[] = [];
    const result = (await server.client.callTool(
      {
        name: 'batch_execute',
        arguments: {
          label: 'mcp-test',
          operations: [
            { id: 'mk', type: 'file.mkdir', params: { path: 'notes' } },
            { id: 'w1', type: 'file.write', params: { path: 'notes/a.md', content: 'alpha TODO\n' }, dependsOn: ['mk'] },
            { id: 'w2', type: 'file.write', params: { path: 'notes/b.md', content: 'bravo\n' }, dependsOn: ['mk'] },
            { id: 'grep', type: 'search.grep', params: { pattern: 'TODO', include: ['notes/*.md'] }, dependsOn: ['w1', 'w2'] },
            { id: 'read', type: 'file.read', params: { path: 'notes/b.md' }, dependsOn: ['w2'] },
          ],
        },
      },
      undefined,
      { onprogress: (p) => progress.push(`${p.progress}/${p.total}: ${p.message}`) },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as Structured;
    expect(data.status).toBe('succeeded');
    expect(data.label).toBe('mcp-test');
    expect(data.results?.map((r) => r.id)).toEqual(['mk', 'w1', 'w2', 'grep', 'read']);
    expect(data.results?.every((r) => r.status === 'succeeded')).toBe(true);
    expect((data.results?.[4].output as { content: string }).content).toBe('bravo\n');
    const grep = data.results?.[3].output as { matches: Array<{ file: string; line: number }> };
    expect(grep.matches.map((m) => m.file)).toEqual(['notes/a.md']);
    expect(await fsp.readFile(path.join(ws, 'notes', 'a.md'), 'utf8')).toBe('alpha TODO\n');
    // The text content is the same result, for clients that read only text.
    expect(JSON.parse(firstText(result))).toEqual(data);
    // Every notification went out before the answer (see progressOnWire for why the wire is read).
    const onWire = progressOnWire(server.wire, answerIdWhere(server.wire, (data) => data.label === 'mcp-test'));
    expect(onWire.after).toEqual([]);
    const sent = onWire.before.map((p) => `${p.progress}/${p.total}: ${p.message}`);
    expect(sent).toHaveLength(5);
    expect(sent[4]).toMatch(/^5\/5: /);
    expect(sent.map((line) => line.split(': ')[1]).sort()).toEqual(['grep succeeded', 'mk succeeded', 'read succeeded', 'w1 succeeded', 'w2 succeeded']);
    expect(sent.slice(0, progress.length)).toEqual(progress);
  });

  it('answers bad input with tool errors that name the problem, and keeps serving', async () => {
    const notAnArray = await call(server, 'batch_execute', { operations: 'all of them' });
    expect(notAnArray.isError).toBe(true);
    expect(firstText(notAnArray)).toMatch(/operations/);

    const unknownType = await call(server, 'batch_execute', { operations: [{ id: 'x', type: 'file.teleport', params: {} }] });
    expect(unknownType.isError).toBe(true);
    expect(firstText(unknownType)).toMatch(/type/);

    const badParams = await call(server, 'batch_execute', { operations: [{ id: 'w', type: 'file.write', params: { path: 'x.txt' } }] });
    expect(badParams.isError).toBe(true);
    expect(firstText(badParams)).toMatch(/"w"|operations\[0\]/);
    expect(firstText(badParams)).toMatch(/content/);

    const cycle = await call(server, 'batch_execute', {
      operations: [
        { id: 'a', type: 'file.read', params: { path: 'a' }, dependsOn: ['b'] },
        { id: 'b', type: 'file.read', params: { path: 'b' }, dependsOn: ['a'] },
      ],
    });
    expect(cycle.isError).toBe(true);
    expect(firstText(cycle)).toMatch(/a -> b -> a|b -> a -> b/);

    const escape = await call(server, 'batch_execute', { operations: [{ id: 'out', type: 'file.write', params: { path: '../escaped.txt', content: 'no' } }] });
    expect(escape.isError).toBe(true);
    expect(existsSync(path.join(ws, '..', 'escaped.txt'))).toBe(false);

    await expect(server.client.callTool({ name: 'no_such_tool', arguments: {} })).resolves.toMatchObject({ isError: true });

    const after = await call(server, 'batch_execute', { operations: [{ id: 'ok', type: 'file.write', params: { path: 'still-here.txt', content: 'yes' } }] });
    expect(after.isError).toBeFalsy();
    expect(await fsp.readFile(path.join(ws, 'still-here.txt'), 'utf8')).toBe('yes');
  });

  it('refuses exec (and cpu) without --allow-exec, and runs nothing of that batch', async () => {
    const result = await call(server, 'batch_execute', {
      operations: [
        { id: 'write', type: 'file.write', params: { path: 'before-exec.txt', content: 'must not exist' } },
        { id: 'run', type: 'exec', params: { command: 'node', args: ['-e', 'require("fs").writeFileSync("ran.txt", "x")'] } },
        { id: 'code', type: 'cpu', params: { module: './task.js' } },
      ],
    });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toContain('EXEC_REFUSED');
    expect(firstText(result)).toContain('operation "run"');
    expect(firstText(result)).toContain('--allow-exec');
    expect(firstText(result)).toContain('operation "code"');
    expect(existsSync(path.join(ws, 'before-exec.txt'))).toBe(false);
    expect(existsSync(path.join(ws, 'ran.txt'))).toBe(false);
  });

  it('reports a failed atomic batch as a tool error with the result, and writes nothing', async () => {
    const result = await call(server, 'batch_execute', {
      atomic: true,
      operations: [
        { id: 'new', type: 'file.write', params: { path: 'atomic/new.txt', content: 'staged' } },
        { id: 'edit', type: 'file.edit', params: { path: 'atomic/missing.txt', edits: [{ old: 'a', new: 'b' }] } },
      ],
    });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toMatch(/^batch (partial|failed)/);
    const data = result.structuredContent as Structured;
    expect(data.committed).toBe(false);
    expect(data.results?.find((r) => r.id === 'edit')?.status).toBe('failed');
    expect(existsSync(path.join(ws, 'atomic', 'new.txt'))).toBe(false);
  });

  it('lists the modes with their option schemas, and an unknown mode is a tool error', async () => {
    const list = await call(server, 'sparc_list_modes', {});
    expect(list.isError).toBeFalsy();
    const modes = (list.structuredContent as { modes: Array<{ name: string; options: { type?: string } }> }).modes;
    for (const mode of modes) expect(mode.options.type).toBe('object');
    const unknown = await call(server, 'sparc_run_mode', { mode: 'no-such-mode', options: {} });
    expect(unknown.isError).toBe(true);
    expect(firstText(unknown)).toContain('unknown mode "no-such-mode"');
    const badOptions = await call(server, 'sparc_run_mode', { mode: 'x', options: 'fast' });
    expect(badOptions.isError).toBe(true);
    expect(firstText(badOptions)).toMatch(/options/);
  });

  it('creates a project with project_init_batch, inside the server workspace only', async () => {
    const created = await call(server, 'project_init_batch', { name: 'web-app' });
    expect(created.isError).toBeFalsy();
    const data = created.structuredContent as { root: string; path: string; files: string[]; batch: { committed: boolean; operations: number } };
    expect(data.path).toBe('web-app');
    expect(data.batch).toMatchObject({ committed: true, operations: data.files.length });
    for (const file of data.files) expect(existsSync(path.join(ws, 'web-app', file))).toBe(true);

    const again = await call(server, 'project_init_batch', { name: 'web-app' });
    expect(again.isError).toBe(true);
    expect(firstText(again)).toContain('INIT_TARGET_NOT_EMPTY');

    const outside = await call(server, 'project_init_batch', { name: 'elsewhere', dir: '../elsewhere' });
    expect(outside.isError).toBe(true);
    expect(existsSync(path.join(ws, '..', 'elsewhere'))).toBe(false);
  });

  it('reports recorded performance, compares concurrency for real, and clears the records', async () => {
    const summary = await call(server, 'batch_performance', { action: 'summary' });
    expect(summary.isError).toBeFalsy();
    const runs = (summary.structuredContent as { summary: { runs: number; byLabel: Record<string, unknown> } }).summary;
    expect(runs.runs).toBeGreaterThanOrEqual(3);
    expect(Object.keys(runs.byLabel)).toContain('mcp-test');

    const compare = await call(server, 'batch_performance', {
      action: 'compare',
      batch: { concurrency: 4, operations: Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, type: 'file.read', params: { path: 'notes/a.md' } })) },
    });
    expect(compare.isError).toBeFalsy();
    const comparison = (compare.structuredContent as { comparison: { concurrency: number; batchStatus: string; sequentialStatus: string; sequentialWallMs: number } }).comparison;
    expect(comparison).toMatchObject({ concurrency: 4, batchStatus: 'succeeded', sequentialStatus: 'succeeded' });
    expect(comparison.sequentialWallMs).toBeGreaterThan(0);

    const misplaced = await call(server, 'batch_performance', { action: 'trends', concurrency: 3 });
    expect(misplaced.isError).toBe(true);

    const trends = await call(server, 'batch_performance', { action: 'trends' });
    expect(trends.isError).toBeFalsy();
    const cleared = await call(server, 'batch_performance', { action: 'clear' });
    expect((cleared.structuredContent as { removed: number }).removed).toBeGreaterThanOrEqual(runs.runs);
    const empty = await call(server, 'batch_performance', {});
    expect((empty.structuredContent as { summary: { runs: number } }).summary.runs).toBe(0);
  });

  it('serves many calls in flight at once, each with its own progress, without warnings', async () => {
    const from = server.wire.length;
    const calls = Array.from({ length: 24 }, (_, i) =>
      server.client.callTool({ name: 'batch_execute', arguments: { operations: [{ id: `many${i}`, type: 'file.write', params: { path: `many/${i}.txt`, content: String(i) } }] } }, undefined, {
        // A handler makes the client send a progress token; the progress itself is read on the wire.
        onprogress: () => undefined,
      }),
    );
    const results = (await Promise.all(calls)) as CallToolResult[];
    expect(results.every((r) => !r.isError)).toBe(true);
    expect((await fsp.readdir(path.join(ws, 'many'))).length).toBe(24);
    for (let i = 0; i < 24; i++) {
      const id = answerIdWhere(server.wire, (data) => (data.results as Array<{ id: string }> | undefined)?.[0]?.id === `many${i}`, from);
      expect(progressOnWire(server.wire, id)).toEqual({ before: [expect.objectContaining({ progress: 1, total: 1, message: `many${i} succeeded` })], after: [] });
    }
    expect(server.stderr()).not.toMatch(/Warning/);
  });

  it('kept stdout to protocol messages only, and stops when the client closes stdin', async () => {
    const own = await spawnServer(['--dir', ws]);
    await call(own, 'batch_execute', { operations: [{ id: 'w', type: 'file.write', params: { path: 'own.txt', content: '1' } }] });
    expect(errorsBesidesClientRace(own)).toEqual([]);
    expect(own.stderr()).toContain('serving');
    await own.close();
    expect(isProcessLive(own.pid)).toBe(false);
    expect(own.stderr()).toContain('shutting down (stdin closed)');
    expect(errorsBesidesClientRace(server)).toEqual([]);
  });
});

describe('sparc mcp --allow-exec', () => {
  let ws: string;
  let cleanup: () => Promise<void>;
  let server: SpawnedServer;

  beforeAll(async () => {
    ({ dir: ws, cleanup } = await tempDir('exec'));
    server = await spawnServer(['--dir', ws, '--allow-exec', 'node,npm']);
  });

  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('runs the listed commands', async () => {
    const result = await call(server, 'batch_execute', {
      operations: [{ id: 'run', type: 'exec', params: { command: 'node', args: ['-e', 'require("fs").writeFileSync("ran.txt", "x"); process.stdout.write("ran")'] } }],
    });
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as Structured;
    expect((data.results?.[0].output as { stdout: string }).stdout).toBe('ran');
    expect(await fsp.readFile(path.join(ws, 'ran.txt'), 'utf8')).toBe('x');
  });

  it('kills the process of an exec when the client cancels the call', async () => {
    const pidFile = path.join(ws, 'sleeper.pid');
    const controller = new AbortController();
    const pending = server.client.callTool(
      {
        name: 'batch_execute',
        arguments: { operations: [{ id: 'sleep', type: 'exec', params: { command: 'node', args: ['-e', 'require("fs").writeFileSync("sleeper.pid", String(process.pid)); setTimeout(() => {}, 60000)'] } }] },
      },
      undefined,
      { signal: controller.signal },
    );
    // The file exists a moment before the pid is in it: wait for the number itself.
    const writtenPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0);
    await waitUntil(() => writtenPid() > 0, 'the sleeper to start');
    const pid = writtenPid();
    expect(isProcessLive(pid)).toBe(true);
    controller.abort(new Error('changed my mind'));
    await expect(pending).rejects.toThrow();
    await waitUntil(() => !isProcessLive(pid), 'the cancelled process to end', 15_000);
    // The server goes on serving after the cancellation.
    const after = await call(server, 'batch_execute', { operations: [{ id: 'ok', type: 'file.read', params: { path: 'sleeper.pid' } }] });
    expect(after.isError).toBeFalsy();
  });

  it('refuses a command that is not listed, and shell command lines', async () => {
    const other = await call(server, 'batch_execute', { operations: [{ id: 'git', type: 'exec', params: { command: 'git', args: ['status'] } }] });
    expect(other.isError).toBe(true);
    expect(firstText(other)).toContain('"git" refused: not in --allow-exec (allowed: node, npm)');

    const shell = await call(server, 'batch_execute', { operations: [{ id: 'sh', type: 'exec', params: { command: 'node -e 1 && touch shell.txt', shell: true } }] });
    expect(shell.isError).toBe(true);
    expect(firstText(shell)).toContain('shell: true');
    expect(existsSync(path.join(ws, 'shell.txt'))).toBe(false);
  });
});
