import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ModeRegistry } from '@sparc/batch-core';
import { main } from '../../cli/main';
import { runPipeline } from '../../pipeline';
import { probeMode, registryOf, tempWorkspace, type ProbeCall } from '../../pipeline/__tests__/probe-modes';
import { loadConfig, withCustomModes } from '../index';
import { Capture } from '../../cli/__tests__/run-cli';

/** A JSON config that references nothing: a custom mode declared as a batch, with declared options. */
const TODO_CONFIG = {
  modes: [
    {
      name: 'todo-check',
      summary: 'TODO and FIXME notes left in src',
      options: { pattern: { type: 'string', default: 'TODO', description: 'What to look for' }, strict: { type: 'boolean', default: false } },
      operations: [
        {
          id: 'notes',
          type: 'search.grep',
          params: { pattern: '{{pattern}}', include: ['src/**'] },
          finding: { severity: 'warning', rule: 'todo.left', message: '{{pattern}} left: {{match}}' },
        },
        { id: 'listing', type: 'search.glob', params: { patterns: ['src/**/*.ts'] } },
      ],
    },
  ],
  pipelines: {
    hygiene: [
      { name: 'scan', modes: ['todo-check', 'probe'] },
      { name: 'after', modes: ['later'] },
    ],
  },
};

describe('sparc.config: custom modes and pipelines', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempWorkspace('sparc-config-'));
    await fsp.mkdir(path.join(dir, 'src'));
    await fsp.writeFile(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n// TODO: name this better\nexport const b = 2; // FIXME later\n');
  });
  afterEach(() => cleanup());

  async function sparc(argv: string[], modes?: ModeRegistry) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(argv, { stdout, stderr, cwd: dir, ...(modes ? { modes } : {}) });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('lists a JSON config\'s mode as custom and runs it alone with options from flags', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.config.json'), JSON.stringify(TODO_CONFIG));
    const listed = await sparc(['modes', '--dir', dir, '--json'], new ModeRegistry());
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([{ name: 'todo-check', summary: 'TODO and FIXME notes left in src', source: 'custom', commands: [] }]);

    const help = await sparc(['mode', 'todo-check', '--help', '--dir', dir], new ModeRegistry());
    expect(help.stdout).toMatch(/--pattern <string> +What to look for; default: "?TODO"?/);

    const run = await sparc(['mode', 'todo-check', '--dir', dir, '--json', '--pattern', 'FIXME'], new ModeRegistry());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; findings: unknown[]; data: { operations: Array<{ id: string; status: string }> } };
    expect(result.status).toBe('warning');
    expect(result.findings).toEqual([{ severity: 'warning', rule: 'todo.left', message: 'FIXME left: export const b = 2; // FIXME later', file: 'src/a.ts', line: 3 }]);
    expect(result.data.operations.map((o) => [o.id, o.status])).toEqual([
      ['notes', 'succeeded'],
      ['listing', 'succeeded'],
    ]);

    const bad = await sparc(['mode', 'todo-check', '--dir', dir, '--strict=maybe'], new ModeRegistry());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--strict');
  });

  it('runs a custom mode in a config pipeline, beside a registered mode, with its results upstream', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.config.json'), JSON.stringify(TODO_CONFIG));
    const calls: ProbeCall[] = [];
    const result = await runPipeline({ dir, pipeline: 'hygiene', modes: registryOf(probeMode('probe', calls), probeMode('later', calls)) });
    expect(result.summary.stages.map((s) => [s.name, s.modes.map((m) => `${m.name}:${m.status}`)])).toEqual([
      ['scan', ['todo-check:warning', 'probe:passed']],
      ['after', ['later:passed']],
    ]);
    expect(result.summary.stages[0].modes[0].findings).toEqual([{ severity: 'warning', rule: 'todo.left', message: 'TODO left: // TODO: name this better', file: 'src/a.ts', line: 2 }]);
    expect(calls.find((c) => c.mode === 'later')?.upstreamStatus).toEqual({ 'todo-check': 'warning', probe: 'passed' });
  });

  it('reports every problem of the custom modes with the file and the field', async () => {
    await fsp.writeFile(
      path.join(dir, 'sparc.config.json'),
      JSON.stringify({
        modes: [
          { name: 'Bad Name', summary: 'x', operations: [{ id: 'a', type: 'search.glob', params: { patterns: ['*'] } }] },
          { name: 'limits', summary: 'y', options: { max: { type: 'integer', default: 'ten' }, level: 'decimal' }, operations: [{ id: 'a', type: 'search.glob', params: { patterns: ['*'] } }] },
          { name: 'empty', summary: 'z' },
          { name: 'runs', summary: 'w', operations: [] },
          { name: 'limits', summary: 'again', operations: [{ id: 'a', type: 'search.glob', params: { patterns: ['*'] } }], colour: 'red' },
        ],
      }),
    );
    const error = await loadConfig(dir).catch((e: unknown) => e as Error & { issues: Array<{ path: string; message: string }> });
    expect(error).toBeInstanceOf(Error);
    const paths = (error as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    expect(paths).toEqual(['modes[0].name', 'modes[1].options.max.default', 'modes[1].options.level', 'modes[2].run', 'modes[3].operations', 'modes[4].colour']);
    expect((error as Error).message).toContain('sparc.config.json: modes[1].options.max.default: does not fit the option\'s type');
    expect((error as Error).message).toContain('sparc.config.json: modes[2].run: must be a function');

    const cli = await sparc(['modes', '--dir', dir], new ModeRegistry());
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('sparc.config.json: modes[0].name: must be kebab-case');
  });

  it('refuses a custom mode named like a registered one, and two config files at once', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.config.json'), JSON.stringify({ modes: [{ name: 'probe', summary: 'mine', operations: [{ id: 'a', type: 'search.glob', params: { patterns: ['*'] } }] }] }));
    const config = await loadConfig(dir);
    expect(() => withCustomModes(registryOf(probeMode('probe', [])), config)).toThrow(/sparc\.config\.json: modes\[0\]\.name: "probe" is already a built-in mode; pick another name/);
    await fsp.writeFile(path.join(dir, 'sparc.config.js'), 'module.exports = {};\n');
    await expect(loadConfig(dir)).rejects.toThrow(/sparc\.config\.js and sparc\.config\.json both exist/);
  });

  it('loads a CommonJS config whose modes are plain objects (no imports, no node_modules)', async () => {
    await fsp.writeFile(
      path.join(dir, 'sparc.config.js'),
      `module.exports = {
  modes: [{
    name: 'line-count',
    summary: 'Counts lines of src',
    options: { min: { type: 'integer', default: 1 } },
    async run(ctx, options) {
      const batch = await ctx.engine.run({ operations: [{ id: 'read', type: 'file.read', params: { path: 'src/a.ts' } }] }, { signal: ctx.signal });
      const lines = batch.results[0].output.content.split('\\n').length - 1;
      return { status: lines >= options.min ? 'passed' : 'failed', summary: lines + ' lines', findings: [], data: { lines }, artifacts: [] };
    },
  }],
  defaults: { 'line-count': { options: { min: 2 } } },
  pipelines: { count: [{ name: 'measure', modes: ['line-count'] }] },
};
`,
    );
    const config = await loadConfig(dir);
    expect(config.source).toBe('sparc.config.js');
    expect(config.modes.map((m) => m.name)).toEqual(['line-count']);
    const run = await sparc(['mode', 'line-count', '--dir', dir, '--json', '--min', '5'], new ModeRegistry());
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed', data: { lines: 3 } });
    const piped = await runPipeline({ dir, pipeline: 'count', modes: new ModeRegistry() });
    expect(piped.summary.stages[0].modes[0]).toMatchObject({ name: 'line-count', status: 'passed' });
  });

  it('names the file when a config cannot be loaded', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.config.json'), '{ "pipelines": ');
    await expect(loadConfig(dir)).rejects.toThrow(/cannot load config sparc\.config\.json: syntax error/);
    await fsp.rm(path.join(dir, 'sparc.config.json'));
    await fsp.writeFile(path.join(dir, 'sparc.config.cjs'), 'throw new Error("config exploded");\n');
    await expect(loadConfig(dir)).rejects.toThrow('cannot load config sparc.config.cjs: config exploded');
    // Another folder: jest keeps its own module cache, which the loader's cache reset does not reach.
    const other = path.join(dir, 'other');
    await fsp.mkdir(other);
    await fsp.writeFile(path.join(other, 'sparc.config.cjs'), 'module.exports = ["not", "an", "object"];\n');
    await expect(loadConfig(other)).rejects.toThrow(/sparc\.config\.cjs: \(root\): must export an object/);
  });
});
