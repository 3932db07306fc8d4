import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ModeRegistry } from '@sparc/batch-core';
import { probeMode, registryOf, type ProbeCall } from '../../pipeline/__tests__/probe-modes';
import { main } from '../main';
import { Capture, makeWorkspace, runCli } from './run-cli';

/**
 * A user's ES module config, in a folder outside this repository with no node_modules: it imports
 * `defineMode` from @sparc/batch-core and zod all the same (the loader falls back to sparc's own).
 */
const MJS_CONFIG = `import { defineMode } from '@sparc/batch-core';
import { z } from 'zod';

const countTodos = defineMode({
  name: 'count-todos',
  summary: 'Counts TODO notes in src',
  options: z.object({ pattern: z.string().default('TODO').describe('Text to count'), max: z.number().int().default(0) }),
  async run(ctx, options) {
    const batch = await ctx.engine.run({ operations: [{ id: 'grep', type: 'search.grep', params: { pattern: options.pattern, include: ['src/**'] } }] }, { signal: ctx.signal });
    const matches = batch.results[0].output.matches;
    const artifact = await ctx.artifacts.write('todos.txt', matches.map((m) => m.file + ':' + m.line).join('\\n'));
    return {
      status: matches.length > options.max ? 'failed' : 'passed',
      summary: matches.length + ' ' + options.pattern,
      findings: matches.map((m) => ({ severity: 'warning', rule: 'todo', message: m.text.trim(), file: m.file, line: m.line })),
      data: { count: matches.length, upstream: Object.keys(ctx.upstream) },
      artifacts: [artifact],
    };
  },
});

export default {
  modes: [countTodos],
  defaults: { 'count-todos': { options: { max: 5 } } },
  pipelines: {
    tidy: [
      { name: 'measure', modes: ['count-todos', 'optimization'] },
      { name: 'review', modes: [{ name: 'security-review', options: { audit: 'off' } }] },
    ],
  },
};
`;

describe('sparc run', () => {
  let ws: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ ws, cleanup } = await makeWorkspace());
    await fsp.mkdir(path.join(ws, 'src'));
    await fsp.writeFile(path.join(ws, 'src', 'a.ts'), '// TODO: one\nexport const a = 1; // TODO: two\n');
  });
  afterEach(() => cleanup());

  it('loads an .mjs config that imports defineMode and zod without node_modules: the mode is listed, runs alone and in a pipeline', async () => {
    await fsp.writeFile(path.join(ws, 'sparc.config.mjs'), MJS_CONFIG);
    const listed = runCli(['modes', '--dir', ws, '--json']);
    expect(listed.stderr).toBe('');
    const modes = JSON.parse(listed.stdout) as Array<{ name: string; source: string }>;
    expect(modes.find((m) => m.name === 'count-todos')).toEqual({ name: 'count-todos', summary: 'Counts TODO notes in src', source: 'custom', commands: [] });
    expect(modes.filter((m) => m.source === 'builtin').map((m) => m.name)).toEqual(expect.arrayContaining(['spec', 'debug', 'security-review', 'optimization']));

    const alone = runCli(['mode', 'count-todos', '--dir', ws, '--json', '--max', '1']);
    expect(alone.status).toBe(1);
    const result = JSON.parse(alone.stdout) as { status: string; data: { count: number }; findings: Array<{ file: string; line: number }>; artifacts: string[] };
    expect(result).toMatchObject({ status: 'failed', data: { count: 2 } });
    expect(result.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/a.ts:1', 'src/a.ts:2']);
    expect(await fsp.readFile(path.join(ws, result.artifacts[0]), 'utf8')).toBe('src/a.ts:1\nsrc/a.ts:2');

    const piped = runCli(['run', '--pipeline', 'tidy', '--dir', ws, '--json']);
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    const run = JSON.parse(piped.stdout) as { runId: string; status: string; reportDir: string; stages: Array<{ name: string; status: string; modes: Array<{ name: string; status: string }> }> };
    expect(run.stages.map((s) => [s.name, s.modes.map((m) => `${m.name}:${m.status}`)])).toEqual([
      ['measure', ['count-todos:passed', 'optimization:passed']],
      ['review', ['security-review:passed']],
    ]);
    expect(run.reportDir).toBe(path.join(await fsp.realpath(ws), '.sparc', 'reports', run.runId));
    expect((await fsp.readdir(run.reportDir)).sort()).toEqual(['count-todos', 'optimization', 'report.html', 'security-review', 'summary.json', 'summary.md', 'timeline.json']);
  });

  it('loads a .cjs config that requires @sparc/batch-core, and a .js config of an ES module package', async () => {
    await fsp.writeFile(
      path.join(ws, 'sparc.config.cjs'),
      `const { defineMode } = require('@sparc/batch-core');
const { z } = require('zod');
module.exports = {
  modes: [defineMode({ name: 'hello', summary: 'Says hello', options: z.object({ who: z.string().default('world') }), async run(ctx, o) {
    return { status: 'passed', summary: 'hello ' + o.who, findings: [], data: { greeting: 'hello ' + o.who }, artifacts: [] };
  } })],
};
`,
    );
    const cjs = runCli(['mode', 'hello', '--who', 'sparc', '--dir', ws, '--json']);
    expect(cjs.stderr).toBe('');
    expect(JSON.parse(cjs.stdout)).toMatchObject({ status: 'passed', data: { greeting: 'hello sparc' } });

    await fsp.rm(path.join(ws, 'sparc.config.cjs'));
    await fsp.writeFile(path.join(ws, 'package.json'), JSON.stringify({ name: 'esm-project', type: 'module' }));
    await fsp.writeFile(
      path.join(ws, 'sparc.config.js'),
      "export const modes = [{ name: 'plain', summary: 'A plain object mode', options: { n: 'integer' }, async run(ctx, o) { return { status: 'passed', summary: 'n=' + o.n, findings: [], data: o, artifacts: [] }; } }];\n",
    );
    const esm = runCli(['mode', 'plain', '--n', '3', '--dir', ws, '--json']);
    expect(esm.stderr).toBe('');
    expect(JSON.parse(esm.stdout)).toMatchObject({ status: 'passed', summary: 'n=3', data: { n: 3 } });
  });

  it('prints the report folder as the last line, and exits 1 when a mode fails', async () => {
    await fsp.writeFile(path.join(ws, 'sparc.config.mjs'), MJS_CONFIG.replace("options: { max: 5 }", 'options: { max: 0 }'));
    const failed = runCli(['run', '--pipeline', 'tidy', '--dir', ws]);
    expect(failed.status).toBe(1);
    const lines = failed.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/\.sparc\/reports\/[\w-]+$/);
    expect(failed.stdout).toMatch(/✖ measure +failed/);
    expect(failed.stdout).toMatch(/○ review +skipped/);
    expect(failed.stdout).toContain('✖ pipeline failed');
  });

  it('exits 2 naming the file and field for a broken .mjs config, an unknown pipeline or an unknown --only', async () => {
    await fsp.writeFile(path.join(ws, 'sparc.config.mjs'), 'export default { pipelines: { x: [{ name: "s", modes: [{ name: "debug", options: 3 }] }] } };\n');
    const invalid = runCli(['run', '--pipeline', 'x', '--dir', ws]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('sparc.config.mjs: pipelines.x.stages[0].modes[0].options:');
    await fsp.writeFile(path.join(ws, 'sparc.config.mjs'), 'export default { pipelines: ;\n');
    const syntax = runCli(['modes', '--dir', ws]);
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toMatch(/cannot load config sparc\.config\.mjs: syntax error/);
    await fsp.rm(path.join(ws, 'sparc.config.mjs'));
    const unknown = runCli(['run', '--pipeline', 'nightly', '--dir', ws]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown pipeline "nightly" (known: sparc)');
    const only = runCli(['run', '--only', 'lint', '--dir', ws]);
    expect(only.status).toBe(2);
    expect(only.stderr).toContain('--only: "lint" is neither a stage nor a mode of pipeline "sparc"');
    const usage = runCli(['run', '--concurrency', '0', '--dir', ws]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--concurrency must be a positive integer');
    expect(await fsp.readdir(ws)).toEqual(['src']);
  });

  it('runs in-process with an injected registry: --only, --keep-going and --json', async () => {
    const calls: ProbeCall[] = [];
    const modes: ModeRegistry = registryOf(probeMode('alpha', calls, { status: 'failed' }), probeMode('beta', calls));
    await fsp.writeFile(path.join(ws, 'sparc.config.json'), JSON.stringify({ pipeline: 'two', pipelines: { two: [{ name: 'first', modes: ['alpha'] }, { name: 'second', modes: ['beta'] }] } }));
    const sparc = async (argv: string[]) => {
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await main(argv, { stdout, stderr, cwd: ws, modes });
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    const stopped = await sparc(['run', '--json']);
    expect(stopped.code).toBe(1);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ status: 'failed', stages: [{ name: 'first', status: 'failed' }, { name: 'second', status: 'skipped' }] });
    const onward = await sparc(['run', '--json', '--keep-going']);
    expect(JSON.parse(onward.stdout)).toMatchObject({ status: 'failed', stages: [{ status: 'failed' }, { status: 'passed' }] });
    const only = await sparc(['run', '--only', 'beta', '--json']);
    expect(only.code).toBe(0);
    expect(JSON.parse(only.stdout)).toMatchObject({ status: 'passed', stages: [{ name: 'second', modes: [{ name: 'beta', status: 'passed' }] }] });
    const help = await sparc(['run', '--help']);
    expect(help.stdout).toContain('Usage: sparc run [--pipeline NAME]');
  });
});
