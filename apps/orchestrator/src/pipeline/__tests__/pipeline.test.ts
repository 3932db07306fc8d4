import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ValidationError } from '@sparc/batch-core';
import { runPipeline } from '../index';
import { Barrier, FIXTURE_SPEC, probeMode, readTimeline, registryOf, tempWorkspace, type ProbeCall } from './probe-modes';

/** Probe modes under the names of DESIGN.md's pipeline, with the commands the default pipeline runs. */
function defaultNamedModes(calls: ProbeCall[], overrides: Record<string, Parameters<typeof probeMode>[2]> = {}) {
  const commands: Record<string, string[]> = { code: ['generate'], tdd: ['generate', 'run'], integration: ['check'] };
  const names = ['spec', 'architect', 'code', 'tdd', 'debug', 'security-review', 'optimization', 'integration'];
  return registryOf(...names.map((name) => probeMode(name, calls, { commands: commands[name], ...overrides[name] })));
}

function overlaps(a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

describe('runPipeline', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    await fsp.writeFile(path.join(dir, 'sparc.spec.json'), JSON.stringify(FIXTURE_SPEC, null, 2));
  });
  afterEach(() => cleanup());

  it('runs the default SPARC pipeline: stages in order, the modes of a stage side by side, spec and upstream handed on', async () => {
    const calls: ProbeCall[] = [];
    const implementation = new Barrier(['code', 'tdd']);
    const quality = new Barrier(['debug', 'security-review', 'optimization']);
    const modes = defaultNamedModes(calls, {
      code: { barrier: implementation },
      tdd: { barrier: implementation },
      debug: { barrier: quality },
      'security-review': { barrier: quality, status: 'warning' },
      optimization: { barrier: quality },
    });
    const progress: string[] = [];
    const result = await runPipeline({ dir, modes, progress: (m) => progress.push(m) });

    expect(result.status).toBe('warning');
    expect(result.summary.stages.map((s) => s.name)).toEqual(['specification', 'architecture', 'implementation', 'quality', 'integration']);
    expect(result.summary.stages.map((s) => s.modes.map((m) => m.name))).toEqual([['spec'], ['architect'], ['code', 'tdd'], ['debug', 'security-review', 'optimization'], ['integration']]);
    expect(result.reportDir).toBe(path.join(await fsp.realpath(dir), '.sparc', 'reports', result.runId));

    // Stages one after another, by their measured offsets.
    const timeline = await readTimeline(result.reportDir);
    for (let i = 1; i < timeline.stages.length; i++) expect(timeline.stages[i].startMs).toBeGreaterThanOrEqual(timeline.stages[i - 1].endMs);
    // Modes of one stage at the same time: the barriers completed, and the recorded intervals overlap.
    const [code, tdd] = timeline.stages[2].modes;
    expect(overlaps(code, tdd)).toBe(true);
    const [debug, security, optimization] = timeline.stages[3].modes;
    expect(overlaps(debug, security) && overlaps(security, optimization) && overlaps(debug, optimization)).toBe(true);

    // The per-mode defaults: code and tdd run "generate", integration "check"; the spec file is handed to `spec` options.
    const byMode = new Map(calls.map((c) => [c.mode, c]));
    expect(byMode.get('code')).toMatchObject({ command: 'generate', options: { spec: 'sparc.spec.json', level: 1 } });
    expect(byMode.get('tdd')?.command).toBe('generate');
    expect(byMode.get('integration')?.command).toBe('check');
    expect(byMode.get('spec')?.command).toBeUndefined();
    expect(timeline.stages[2].modes.map((m) => m.commands)).toEqual([['generate'], ['generate']]);
    for (const call of calls) {
      expect(call.specName).toBe('todo-service');
      expect(call.runId).toBe(result.runId);
    }
    expect(byMode.get('spec')?.upstream).toEqual([]);
    expect(byMode.get('architect')?.upstream).toEqual(['spec']);
    expect(byMode.get('code')?.upstream).toEqual(['architect', 'spec']);
    expect(byMode.get('debug')?.upstream).toEqual(['architect', 'code', 'spec', 'tdd']);
    expect(byMode.get('integration')?.upstream).toEqual(['architect', 'code', 'debug', 'optimization', 'security-review', 'spec', 'tdd']);

    // Every mode wrote through the engine of its stage.
    expect((await fsp.readdir(path.join(dir, 'out'))).sort()).toEqual(
      ['architect.txt', 'code-generate.txt', 'debug.txt', 'integration-check.txt', 'optimization.txt', 'security-review.txt', 'spec.txt', 'tdd-generate.txt'].sort(),
    );
    // Metrics are recorded per mode of the pipeline run.
    const records = (await fsp.readFile(path.join(dir, '.sparc', 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; runId: string; mode: string });
    expect(records.map((r) => r.mode).sort()).toEqual(['architect', 'code', 'debug', 'integration', 'optimization', 'security-review', 'spec', 'tdd']);
    expect(records.every((r) => r.kind === 'pipeline' && r.runId === result.runId)).toBe(true);
    expect(progress.some((m) => m.startsWith('stage quality'))).toBe(true);
  });

  it('gives the modes of one stage one worker pool, and each stage its own', async () => {
    const pools = new Map<string, unknown>();
    const keep = (name: string) => ({ inspect: (ctx: { pool(): unknown }) => pools.set(name, ctx.pool()) });
    await fsp.writeFile(path.join(dir, 'sparc.config.json'), JSON.stringify({ pipelines: { two: [{ name: 'one', modes: ['a', 'b'] }, { name: 'two', modes: ['c'] }] } }));
    const result = await runPipeline({ dir, pipeline: 'two', modes: registryOf(probeMode('a', [], keep('a')), probeMode('b', [], keep('b')), probeMode('c', [], keep('c'))) });
    expect(result.status).toBe('passed');
    expect(pools.get('a')).toBeDefined();
    expect(pools.get('a')).toBe(pools.get('b'));
    expect(pools.get('c')).not.toBe(pools.get('a'));
  });

  it('writes summary.json exactly as specified, and summary.md', async () => {
    const calls: ProbeCall[] = [];
    const result = await runPipeline({ dir, modes: defaultNamedModes(calls, { debug: { status: 'warning' } }) });
    const written = JSON.parse(await fsp.readFile(path.join(result.reportDir, 'summary.json'), 'utf8')) as typeof result.summary;
    expect(written).toEqual(result.summary);
    expect(Object.keys(written).sort()).toEqual(['runId', 'stages', 'status']);
    for (const stage of written.stages) {
      expect(Object.keys(stage).sort()).toEqual(['durationMs', 'modes', 'name', 'status']);
      for (const mode of stage.modes) expect(Object.keys(mode).sort()).toEqual(['durationMs', 'findings', 'name', 'status']);
    }
    const debug = written.stages[3].modes[0];
    expect(debug).toMatchObject({ name: 'debug', status: 'warning', findings: [{ severity: 'warning', rule: 'debug.probe', message: 'debug reports warning', file: 'src/a.ts', line: 3 }] });
    const markdown = await fsp.readFile(path.join(result.reportDir, 'summary.md'), 'utf8');
    expect(markdown).toContain(`# sparc run ${result.runId}`);
    expect(markdown).toMatch(/\| quality \| ⚠ warning \|/);
    expect(markdown).toContain('| warning | debug.probe | src/a.ts:3 | debug reports warning |');
  });

  it('stops after a failed stage, letting the failed mode\'s siblings finish; --keep-going runs the rest', async () => {
    const calls: ProbeCall[] = [];
    let codeFailed = false;
    const failing = defaultNamedModes(calls, {
      code: { status: 'failed', onDone: () => (codeFailed = true) },
      tdd: {
        // Finishes only after its sibling has failed: the failure must not cut it short.
        after: async () => {
          while (!codeFailed) await new Promise((resolve) => setTimeout(resolve, 5));
        },
      },
    });
    const stopped = await runPipeline({ dir, modes: failing });
    expect(stopped.status).toBe('failed');
    expect(stopped.summary.stages.map((s) => [s.name, s.status])).toEqual([
      ['specification', 'passed'],
      ['architecture', 'passed'],
      ['implementation', 'failed'],
      ['quality', 'skipped'],
      ['integration', 'skipped'],
    ]);
    expect(stopped.summary.stages[2].modes.map((m) => [m.name, m.status])).toEqual([
      ['code', 'failed'],
      ['tdd', 'passed'],
    ]);
    expect(stopped.summary.stages[3].modes.every((m) => m.status === 'skipped' && m.findings.length === 0)).toBe(true);
    expect(calls.map((c) => c.mode)).not.toContain('debug');

    calls.length = 0;
    codeFailed = false;
    const onward = await runPipeline({ dir, modes: failing, keepGoing: true });
    expect(onward.status).toBe('failed');
    expect(onward.summary.stages.map((s) => s.status)).toEqual(['passed', 'passed', 'failed', 'passed', 'passed']);
    // Later modes see the failed result upstream.
    expect(calls.find((c) => c.mode === 'debug')?.upstreamStatus).toMatchObject({ code: 'failed', tdd: 'passed' });
  });

  it('fails a throwing mode and a mode with bad options by name and reason, while the other modes of the stage finish', async () => {
    const calls: ProbeCall[] = [];
    let thrown = false;
    const modes = registryOf(
      probeMode('thrower', calls, { throws: 'disk on fire', onDone: () => (thrown = true) }),
      probeMode('picky', calls),
      probeMode('steady', calls, {
        after: async () => {
          while (!thrown) await new Promise((resolve) => setTimeout(resolve, 5));
        },
      }),
    );
    await fsp.writeFile(
      path.join(dir, 'sparc.config.json'),
      JSON.stringify({ pipelines: { trio: [{ name: 'work', modes: ['thrower', { name: 'picky', options: { level: 9, colour: 'red' } }, 'steady'] }, { name: 'after', modes: ['steady2'] }] } }),
    );
    await expect(runPipeline({ dir, modes, pipeline: 'trio' })).rejects.toThrow(/sparc\.config\.json: pipelines\.trio\.stages\[1\]\.modes\[0\]\.name: unknown mode "steady2"/);

    await fsp.writeFile(path.join(dir, 'sparc.config.json'), JSON.stringify({ pipelines: { trio: [{ name: 'work', modes: ['thrower', { name: 'picky', options: { level: 9, colour: 'red' } }, 'steady'] }] } }));
    const result = await runPipeline({ dir, modes, pipeline: 'trio' });
    const [thrower, picky, steady] = result.summary.stages[0].modes;
    expect(result.status).toBe('failed');
    expect(thrower).toMatchObject({ name: 'thrower', status: 'failed' });
    expect(thrower.findings[0]).toMatchObject({ severity: 'error', rule: 'mode.error', message: 'thrower failed: disk on fire' });
    expect(picky.status).toBe('failed');
    const messages = picky.findings.map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('picky: unknown option "colour"'), expect.stringMatching(/picky: option "level" \(--level\): .*5/)]));
    expect(picky.findings.find((f) => f.rule === 'pipeline.options-source')?.message).toBe('picky: options from sparc.config.json pipelines.trio.stages[0].modes[1]');
    expect(steady).toMatchObject({ name: 'steady', status: 'passed' });
    expect(calls.map((c) => c.mode).sort()).toEqual(['steady', 'thrower']);
  });

  it('runs only the stages or modes of --only, and refuses names the pipeline does not have', async () => {
    const calls: ProbeCall[] = [];
    const modes = defaultNamedModes(calls);
    const quality = await runPipeline({ dir, modes, only: ['quality'] });
    expect(quality.summary.stages.map((s) => s.name)).toEqual(['quality']);
    expect(calls.map((c) => c.mode).sort()).toEqual(['debug', 'optimization', 'security-review']);

    calls.length = 0;
    const picked = await runPipeline({ dir, modes, only: ['spec', 'debug'] });
    expect(picked.summary.stages.map((s) => [s.name, s.modes.map((m) => m.name)])).toEqual([
      ['specification', ['spec']],
      ['quality', ['debug']],
    ]);
    expect(calls.find((c) => c.mode === 'debug')?.upstream).toEqual(['spec']);

    const error = await runPipeline({ dir, modes, only: ['debug', 'lint'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/--only: "lint" is neither a stage nor a mode of pipeline "sparc" \(stages: specification, architecture, implementation, quality, integration; modes: spec, architect, code, tdd, debug, security-review, optimization, integration\)/);
  });

  it('runs the modes of a stage one at a time with concurrency 1', async () => {
    const calls: ProbeCall[] = [];
    const result = await runPipeline({ dir, modes: defaultNamedModes(calls), only: ['quality'], concurrency: 1 });
    const { modes } = (await readTimeline(result.reportDir)).stages[0];
    expect(modes.map((m) => m.name)).toEqual(['debug', 'security-review', 'optimization']);
    for (let i = 1; i < modes.length; i++) expect(modes[i].startMs).toBeGreaterThanOrEqual(modes[i - 1].endMs);
  });

  it('takes commands, steps and option defaults from the config', async () => {
    const calls: ProbeCall[] = [];
    await fsp.writeFile(
      path.join(dir, 'sparc.config.json'),
      JSON.stringify({
        pipeline: 'build',
        defaults: { code: { options: { level: 3 } }, tdd: { steps: [{ command: 'generate' }, { command: 'run', options: { level: 2 } }] } },
        pipelines: { build: { description: 'just the build', stages: [{ name: 'make', modes: ['code', 'tdd', { name: 'debug', options: { level: 4 } }] }] } },
      }),
    );
    const result = await runPipeline({ dir, modes: defaultNamedModes(calls) });
    expect(result.summary.stages.map((s) => s.name)).toEqual(['make']);
    const of = (mode: string) => calls.filter((c) => c.mode === mode).map((c) => ({ command: c.command, level: c.options.level }));
    // `defaults.code.options` keeps the built-in default command (generate).
    expect(of('code')).toEqual([{ command: 'generate', level: 3 }]);
    expect(of('tdd')).toEqual([
      { command: 'generate', level: 1 },
      { command: 'run', level: 2 },
    ]);
    expect(of('debug')).toEqual([{ command: undefined, level: 4 }]);
    const timeline = await readTimeline(result.reportDir);
    expect(timeline.stages[0].modes.find((m) => m.name === 'tdd')?.commands).toEqual(['generate', 'run']);
  });

  it('rejects a config with errors, naming the file and the field', async () => {
    const modes = defaultNamedModes([]);
    const write = (config: unknown) => fsp.writeFile(path.join(dir, 'sparc.config.json'), JSON.stringify(config));
    await write({ pipelines: { ci: [{ name: 'Bad Stage', modes: [] }] } });
    await expect(runPipeline({ dir, modes, pipeline: 'ci' })).rejects.toThrow(/sparc\.config\.json: pipelines\.ci\.stages\[0\]\.name: must be a kebab-case stage name[\s\S]*sparc\.config\.json: pipelines\.ci\.stages\[0\]\.modes: a stage needs at least one mode/);
    await write({ pipelines: { ci: [{ name: 'a', modes: ['debug'] }, { name: 'b', modes: ['debug'] }] } });
    await expect(runPipeline({ dir, modes, pipeline: 'ci' })).rejects.toThrow(/pipelines\.ci\.stages\[1\]\.modes\[0\]\.name: mode "debug" already runs in stage 0/);
    await write({ defaults: { lint: { options: {} } } });
    await expect(runPipeline({ dir, modes })).rejects.toThrow(/sparc\.config\.json: defaults\.lint: unknown mode "lint"/);
    await write({ pipeline: 'nightly' });
    await expect(runPipeline({ dir, modes })).rejects.toThrow(/sparc\.config\.json: pipeline: unknown pipeline "nightly" \(known: sparc\)/);
    await write({ pipelines: {}, colour: 'red' });
    await expect(runPipeline({ dir, modes })).rejects.toThrow(/sparc\.config\.json: \(root\): Unrecognized key: "colour"/);
    await write({ defaults: { tdd: { command: 'run', steps: [{ command: 'generate' }] } } });
    await expect(runPipeline({ dir, modes })).rejects.toThrow(/defaults\.tdd\.steps: give either "steps" or "command"\/"options"/);
    await fsp.rm(path.join(dir, 'sparc.config.json'));
    await expect(runPipeline({ dir, modes, pipeline: 'nope' })).rejects.toThrow(/unknown pipeline "nope" \(known: sparc\)/);
    await expect(runPipeline({ dir, modes, spec: 'missing.json' })).rejects.toThrow(/cannot read spec .*missing\.json: no such file/);
    await expect(runPipeline({ dir, modes, concurrency: 0 })).rejects.toThrow(/concurrency/);
  });

  it('hands an invalid spec to no mode but runs them, so the spec mode can report it', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.spec.json'), JSON.stringify({ name: 'x', entities: [{ name: 'lower', fields: [] }] }));
    const calls: ProbeCall[] = [];
    const progress: string[] = [];
    await runPipeline({ dir, modes: defaultNamedModes(calls), only: ['spec'], progress: (m) => progress.push(m) });
    expect(calls).toHaveLength(1);
    expect(calls[0].specName).toBeUndefined();
    expect(calls[0].options.spec).toBe('sparc.spec.json');
    expect(progress.some((m) => /the spec sparc\.spec\.json does not validate/.test(m))).toBe(true);
  });

  it('cancels with the signal: the running stage reports cancelled modes and the rest is skipped', async () => {
    const calls: ProbeCall[] = [];
    const controller = new AbortController();
    const modes = defaultNamedModes(calls, {
      architect: {
        after: () =>
          new Promise((_resolve, reject) => {
            controller.abort(new Error('stop now'));
            reject(new Error('interrupted while working'));
          }),
      },
    });
    const result = await runPipeline({ dir, modes, signal: controller.signal });
    expect(result.status).toBe('failed');
    expect(result.summary.stages.map((s) => s.status)).toEqual(['passed', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(result.summary.stages[1].modes[0].findings[0]).toMatchObject({ rule: 'mode.cancelled', message: 'architect: cancelled (stop now)' });
  });
});
