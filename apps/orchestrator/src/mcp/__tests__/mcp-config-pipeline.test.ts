import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli } from '../../cli/__tests__/run-cli';
import { firstText, spawnServer, tempDir, type SpawnedServer } from './mcp-client';

/** Custom modes declared as data in sparc.config.json, and a pipeline of them. */
const CONFIG = {
  pipelines: { lint: { stages: [{ name: 'quality', modes: ['todo-check', 'list-sources'] }] }, versions: { stages: [{ name: 'tools', modes: ['node-version'] }] } },
  modes: [
    {
      name: 'todo-check',
      summary: 'TODOs left in src',
      options: { pattern: { type: 'string', default: 'TODO' } },
      operations: [
        { id: 'todos', type: 'search.grep', params: { pattern: '{{pattern}}', include: ['src/**'] }, finding: { severity: 'warning', rule: 'todo.left', message: '{{pattern}}: {{match}}' } },
      ],
    },
    { name: 'list-sources', summary: 'Lists the sources', operations: [{ id: 'glob', type: 'search.glob', params: { patterns: 'src/**/*.ts' } }] },
    { name: 'node-version', summary: 'Runs node', operations: [{ id: 'node', type: 'exec', params: { command: 'node', args: ['--version'] } }] },
  ],
};

type ModeOutput = { status: string; findings: Array<{ rule: string; message: string; file?: string; line?: number }> };
type PipelineOutput = { runId: string; status: string; reportDir: string; summary: { stages: Array<{ name: string; modes: Array<{ name: string; status: string }> }> } };

describe('sparc mcp with the workspace config: custom modes and the pipeline runner (spawned server)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;
  let server: SpawnedServer;

  const call = async (target: SpawnedServer, name: string, args: Record<string, unknown>) => (await target.client.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    ({ dir: ws, cleanup } = await tempDir('config'));
    await fsp.mkdir(path.join(ws, 'src'));
    await fsp.writeFile(path.join(ws, 'src', 'a.ts'), 'export const a = 1;\n// TODO: remove a\n');
    await fsp.writeFile(path.join(ws, 'src', 'b.ts'), 'export const b = 2;\n');
    await fsp.writeFile(path.join(ws, 'sparc.config.json'), JSON.stringify(CONFIG));
    server = await spawnServer(['--dir', ws]);
  });

  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('lists the custom modes of sparc.config.json with their option schemas', async () => {
    const result = await call(server, 'sparc_list_modes', {});
    const modes = (result.structuredContent as { modes: Array<{ name: string; source: string; options: { properties: Record<string, { default?: unknown }> } }> }).modes;
    const custom = modes.filter((m) => m.source === 'custom');
    expect(custom.map((m) => m.name)).toEqual(['todo-check', 'list-sources', 'node-version']);
    expect(custom[0].options.properties.pattern.default).toBe('TODO');
    // The same modes, built-in and custom, as the CLI lists for this workspace.
    const cli = runCli(['modes', '--dir', ws, '--json']);
    expect(cli.status).toBe(0);
    const listed = (JSON.parse(cli.stdout) as Array<{ name: string; source: string }>).map((m) => [m.name, m.source]);
    expect(modes.map((m) => [m.name, m.source])).toEqual(listed);
  });

  it('runs a custom mode with options; its findings point at the file and line', async () => {
    const todo = await call(server, 'sparc_run_mode', { mode: 'todo-check' });
    expect(todo.isError).toBeFalsy();
    const output = todo.structuredContent as ModeOutput;
    expect(output.status).toBe('warning');
    expect(output.findings).toEqual([expect.objectContaining({ rule: 'todo.left', file: 'src/a.ts', line: 2 })]);

    const none = await call(server, 'sparc_run_mode', { mode: 'todo-check', options: { pattern: 'FIXME' } });
    expect(none.structuredContent).toMatchObject({ status: 'passed', findings: [] });
  });

  it('refuses the exec of a custom mode without --allow-exec, and runs it with node allowed', async () => {
    const refused = await call(server, 'sparc_run_mode', { mode: 'node-version' });
    expect(refused.isError).toBe(true);
    expect((refused.structuredContent as ModeOutput).findings[0].message).toContain('EXEC_REFUSED');

    const allowed = await spawnServer(['--dir', ws, '--allow-exec', 'node']);
    try {
      const ran = await call(allowed, 'sparc_run_mode', { mode: 'node-version' });
      expect(ran.isError).toBeFalsy();
      expect(ran.structuredContent).toMatchObject({ status: 'passed' });
    } finally {
      await allowed.close();
    }
  });

  it('runs a pipeline of the config through runPipeline and returns its report folder and summary', async () => {
    const result = await call(server, 'sparc_run_pipeline', { pipeline: 'lint' });
    expect(result.isError).toBeFalsy();
    const output = result.structuredContent as PipelineOutput;
    expect(output.status).toBe('warning');
    expect(output.reportDir).toBe(path.join(ws, '.sparc', 'reports', output.runId));
    expect(output.summary.stages.map((s) => s.name)).toEqual(['quality']);
    expect(output.summary.stages[0].modes.map((m) => [m.name, m.status])).toEqual([
      ['todo-check', 'warning'],
      ['list-sources', 'passed'],
    ]);
    const onDisk = JSON.parse(await fsp.readFile(path.join(output.reportDir, 'summary.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(output.summary);
    expect(existsSync(path.join(output.reportDir, 'report.html'))).toBe(true);
  });

  it('holds --allow-exec inside pipelines too: an exec step of a pipeline mode is refused without it', async () => {
    const refused = await call(server, 'sparc_run_pipeline', { pipeline: 'versions' });
    expect(refused.isError).toBe(true);
    const output = refused.structuredContent as PipelineOutput & { summary: { stages: Array<{ modes: Array<{ findings: Array<{ message: string }> }> }> } };
    expect(output.status).toBe('failed');
    expect(output.summary.stages[0].modes[0].findings.map((f) => f.message).join('\n')).toContain('EXEC_REFUSED');

    const allowed = await spawnServer(['--dir', ws, '--allow-exec', 'node']);
    try {
      const ran = await call(allowed, 'sparc_run_pipeline', { pipeline: 'versions' });
      expect(ran.isError).toBeFalsy();
      expect((ran.structuredContent as PipelineOutput).status).toBe('passed');
    } finally {
      await allowed.close();
    }
  });

  it('answers an unknown pipeline, a spec outside the workspace and bad input with tool errors', async () => {
    const unknown = await call(server, 'sparc_run_pipeline', { pipeline: 'nightly' });
    expect(unknown.isError).toBe(true);
    expect(firstText(unknown)).toContain('unknown pipeline "nightly"');

    const outside = await call(server, 'sparc_run_pipeline', { spec: '../../etc/passwd' });
    expect(outside.isError).toBe(true);
    expect(firstText(outside)).toContain('PATH_OUTSIDE_WORKSPACE');

    const badInput = await call(server, 'sparc_run_pipeline', { only: [] });
    expect(badInput.isError).toBe(true);
  });

  it('reads the config on every call: a new mode appears, a broken config is a tool error naming the field', async () => {
    const config = path.join(ws, 'sparc.config.json');
    const original = await fsp.readFile(config, 'utf8');
    try {
      await fsp.writeFile(config, JSON.stringify({ ...CONFIG, modes: [...CONFIG.modes, { name: 'late', summary: 'Added later', operations: [{ id: 'g', type: 'search.glob', params: { patterns: '*' } }] }] }));
      const listed = await call(server, 'sparc_list_modes', {});
      expect((listed.structuredContent as { modes: Array<{ name: string }> }).modes.map((m) => m.name)).toContain('late');

      await fsp.writeFile(config, JSON.stringify({ ...CONFIG, modes: [{ name: 'Bad Name', summary: 'x', operations: [] }] }));
      const broken = await call(server, 'sparc_list_modes', {});
      expect(broken.isError).toBe(true);
      expect(firstText(broken)).toContain('sparc.config.json');
      expect(firstText(broken)).toContain('modes[0]');
    } finally {
      await fsp.writeFile(config, original);
    }
    const restored = await call(server, 'sparc_list_modes', {});
    expect(restored.isError).toBeFalsy();
  });
});
