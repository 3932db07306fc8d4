import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { Workspace } from '../workspace/workspace';
import { createArtifactWriter, newRunId } from './artifacts';
import { createModeContext } from './context';
import { BatchEngine } from '../engine/engine';
import { defineCommand, defineMode } from './define-mode';
import { DuplicateModeError, ModeDefinitionError, UnknownModeError } from './errors';
import { ModeRegistry } from './registry';
import { isInputFinding, MODE_RULES, runMode } from './run-mode';
import { ValidationError } from '../errors';
import type { ModeContext, ModeDefinition } from './types';

let root: string;
let workspace: Workspace;

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-mode-'));
  workspace = await Workspace.open(root, { recover: false });
});

afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

function contextFor(mode: string, overrides: Partial<ModeContext> = {}): ModeContext {
  const runId = 'run-1';
  return {
    runId,
    workspace,
    engine: {
      run: () => Promise.reject(new Error('these modes do not run batches')),
    },
    pool: () => {
      throw new Error('these modes do not use the worker pool');
    },
    signal: new AbortController().signal,
    progress: () => undefined,
    artifacts: createArtifactWriter(workspace, runId, mode),
    upstream: {},
    ...overrides,
  };
}

const countMode = defineMode({
  name: 'count-files',
  summary: 'Counts files in a folder',
  options: z.object({
    dir: z.string().default('.').describe('Folder to count'),
    maxDepth: z.number().int().min(1).default(3),
  }),
  data: z.object({ files: z.number().int().nonnegative() }),
  async run(ctx, options) {
    const entries = await fsp.readdir(ctx.workspace.resolve(options.dir), { recursive: options.maxDepth > 1 });
    return { status: 'passed', summary: `${entries.length} entries`, findings: [], data: { files: entries.length }, artifacts: [] };
  },
});

describe('defineMode', () => {
  it('returns a frozen definition with its commands', () => {
    const mode = defineMode({
      name: 'code',
      summary: 'Generators',
      options: z.object({}),
      commands: {
        scan: { summary: 'Scan', options: z.object({ depth: z.number().default(1) }), run: async (_ctx, o) => ({ status: 'passed', summary: `depth ${o.depth}`, findings: [], data: null, artifacts: [] }) },
        generate: defineCommand({
          summary: 'Generate',
          options: z.object({ name: z.string() }),
          data: z.object({ written: z.array(z.string()) }),
          run: async (_ctx, o) => ({ status: 'passed', summary: o.name, findings: [], data: { written: [o.name] }, artifacts: [] }),
        }),
      },
      run: async () => ({ status: 'passed', summary: 'ok', findings: [], data: {}, artifacts: [] }),
    });
    expect(Object.isFrozen(mode)).toBe(true);
    expect(Object.isFrozen(mode.commands)).toBe(true);
    expect(Object.keys(mode.commands)).toEqual(['scan', 'generate']);
  });

  it('rejects a name that is not kebab-case and options that are not a zod object, naming both', () => {
    const bad = () =>
      defineMode({
        name: 'Bad_Name',
        summary: 'x',
        options: z.string() as unknown as z.ZodObject,
        run: async () => ({ status: 'passed', summary: '', findings: [], data: {}, artifacts: [] }),
      });
    expect(bad).toThrow(ModeDefinitionError);
    try {
      bad();
    } catch (error) {
      const issues = (error as ModeDefinitionError).issues.map((i) => i.path);
      expect(issues).toEqual(['name', 'options']);
      expect((error as ModeDefinitionError).code).toBe('INVALID_MODE_DEFINITION');
      expect((error as Error).message).toContain('kebab-case');
    }
  });

  it('rejects option keys that cannot become flags and a missing run', () => {
    expect(() =>
      defineMode({ name: 'opts', summary: 'x', options: z.object({ 'max-depth': z.number() }), run: undefined as never }),
    ).toThrow(/options\.max-depth: option names must be camelCase.*run: must be a function/);
  });
});

describe('ModeRegistry', () => {
  it('lists modes with source and commands, and rejects a duplicate name', () => {
    const registry = new ModeRegistry().register(countMode);
    const custom = defineMode({ name: 'lint', summary: 'Lints', options: z.object({}), run: async () => ({ status: 'passed', summary: '', findings: [], data: {}, artifacts: [] }) });
    registry.register(custom, { source: 'custom' });
    expect(registry.list()).toEqual([
      { name: 'count-files', summary: 'Counts files in a folder', source: 'builtin', commands: [] },
      { name: 'lint', summary: 'Lints', source: 'custom', commands: [] },
    ]);
    expect(() => registry.register({ ...custom } as ModeDefinition, { source: 'custom' })).toThrow(DuplicateModeError);
    expect(() => registry.register({ ...custom } as ModeDefinition)).toThrow(/mode "lint" is already registered \(custom\)/);
  });

  it('loads a lazy mode on first read, once, and keeps it unloaded through has, names, source and copy', () => {
    let loads = 0;
    const registry = new ModeRegistry().register(countMode).registerLazy('lint', () => {
      loads++;
      return defineMode({ name: 'lint', summary: 'Lints', options: z.object({}), commands: {}, run: async () => ({ status: 'passed', summary: '', findings: [], data: {}, artifacts: [] }) });
    });
    const copy = registry.copy();
    expect([registry.has('lint'), registry.names(), registry.source('lint'), copy.names()]).toEqual([true, ['count-files', 'lint'], 'builtin', ['count-files', 'lint']]);
    expect(loads).toBe(0);
    expect(copy.get('lint').summary).toBe('Lints');
    expect(registry.get('lint')).toBe(copy.get('lint'));
    expect(registry.list().map((m) => m.name)).toEqual(['count-files', 'lint']);
    expect(loads).toBe(1);
    expect(() => registry.registerLazy('count-files', () => countMode)).toThrow(DuplicateModeError);
  });

  it('refuses a lazy mode whose loader returns another mode or an invalid one, naming it', () => {
    const registry = new ModeRegistry().registerLazy('renamed', () => countMode).registerLazy('broken', () => ({ name: 'broken' }) as unknown as ModeDefinition);
    expect(() => registry.get('renamed')).toThrow(/"renamed".*name: the loader for "renamed" returned a mode named "count-files"/);
    expect(() => registry.get('broken')).toThrow(ModeDefinitionError);
    expect(registry.names()).toEqual(['renamed', 'broken']);
  });

  it('reports an unknown mode with code UNKNOWN_MODE and the known names', () => {
    const registry = new ModeRegistry().register(countMode);
    expect(() => registry.get('archtect')).toThrow(UnknownModeError);
    try {
      registry.get('archtect');
    } catch (error) {
      expect((error as UnknownModeError).code).toBe('UNKNOWN_MODE');
      expect((error as Error).message).toBe('unknown mode "archtect" (known: count-files)');
    }
  });
});

describe('runMode', () => {
  it('runs with defaults applied, validates data and measures its duration', async () => {
    await fsp.writeFile(path.join(root, 'a.txt'), 'a');
    await fsp.writeFile(path.join(root, 'b.txt'), 'b');
    const result = await runMode(countMode, contextFor('count-files'), {});
    expect(result.status).toBe('passed');
    expect(result.data).toEqual({ files: 2 });
    expect(result.mode).toBe('count-files');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('returns a failed result naming the mode and the option for bad options, without running', async () => {
    let ran = false;
    const mode = defineMode({
      name: 'watched',
      summary: 'x',
      options: z.object({ maxDepth: z.number().int().min(1) }),
      run: async () => {
        ran = true;
        return { status: 'passed', summary: '', findings: [], data: {}, artifacts: [] };
      },
    });
    const result = await runMode(mode, contextFor('watched'), { maxDepth: 0 });
    expect(ran).toBe(false);
    expect(result.status).toBe('failed');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: 'error', rule: MODE_RULES.options });
    expect(result.findings[0].message).toMatch(/^watched: option "maxDepth" \(--max-depth\): /);
  });

  it('rejects unknown option keys and lists the known ones', async () => {
    const result = await runMode(countMode, contextFor('count-files'), { dir: '.', depth: 2 });
    expect(result.status).toBe('failed');
    expect(result.findings.map((f) => f.message)).toEqual(['count-files: unknown option "depth" (known: dir, maxDepth)']);
  });

  it('turns a thrown error into a failed result with the reason', async () => {
    const mode = defineMode({
      name: 'explodes',
      summary: 'x',
      options: z.object({}),
      run: async () => {
        throw Object.assign(new Error('config file is unreadable'), { code: 'EACCES' });
      },
    });
    const result = await runMode(mode, contextFor('explodes'), undefined);
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('explodes failed: EACCES: config file is unreadable');
    expect(result.findings).toEqual([{ severity: 'error', rule: MODE_RULES.error, message: 'explodes failed: EACCES: config file is unreadable' }]);
  });

  it('does not repeat the code of an error whose message already starts with it, as Node errors do', async () => {
    const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-mode-enotdir-'));
    try {
      await fsp.writeFile(path.join(root, 'plain-file'), 'x');
      const mode = defineMode({
        name: 'makes-dir',
        summary: 'x',
        options: z.object({}),
        run: async () => {
          await fsp.mkdir(path.join(root, 'plain-file', 'sub'));
          return { status: 'passed', summary: 'made', findings: [], data: null, artifacts: [] };
        },
      });
      const result = await runMode(mode, contextFor('makes-dir'), undefined);
      expect(result.summary).toMatch(/^makes-dir failed: ENOTDIR: not a directory, mkdir /);
      expect(result.summary).not.toContain('ENOTDIR: ENOTDIR');
    } finally {
      await fsp.rm(root, { recursive: true, force: true });
    }
  });

  it('reports a thrown ValidationError as invalid input, which callers treat as a usage error', async () => {
    const mode = defineMode({
      name: 'reads-manifest',
      summary: 'x',
      options: z.object({}),
      run: async () => {
        throw new ValidationError('services.json: services[0].url: Invalid URL');
      },
    });
    const result = await runMode(mode, contextFor('reads-manifest'), undefined);
    expect(result.findings).toEqual([{ severity: 'error', rule: MODE_RULES.invalidInput, message: 'reads-manifest failed: VALIDATION_ERROR: services.json: services[0].url: Invalid URL' }]);
    expect(isInputFinding(result.findings[0])).toBe(true);
  });

  it('tells input findings from work failures by rule', () => {
    expect(isInputFinding({ severity: 'error', rule: MODE_RULES.options })).toBe(true);
    expect(isInputFinding({ severity: 'error', rule: MODE_RULES.unknownCommand })).toBe(true);
    expect(isInputFinding({ severity: 'error', rule: 'integration.invalid-input' })).toBe(true);
    expect(isInputFinding({ severity: 'warning', rule: 'integration.invalid-input' })).toBe(false);
    expect(isInputFinding({ severity: 'error', rule: MODE_RULES.error })).toBe(false);
    expect(isInputFinding({ severity: 'error', rule: 'integration.health' })).toBe(false);
  });

  it('fails a result whose data breaks the data schema, keeping the mode findings', async () => {
    const mode = defineMode({
      name: 'bad-data',
      summary: 'x',
      options: z.object({}),
      data: z.object({ modules: z.number() }),
      run: async () => ({
        status: 'passed',
        summary: 'done',
        findings: [{ severity: 'info', rule: 'note', message: 'scanned' }],
        data: { modules: 'three' } as unknown as { modules: number },
        artifacts: [],
      }),
    });
    const result = await runMode(mode, contextFor('bad-data'), {});
    expect(result.status).toBe('failed');
    expect(result.data).toBeUndefined();
    expect(result.findings[0]).toEqual({ severity: 'info', rule: 'note', message: 'scanned' });
    expect(result.findings[1].rule).toBe(MODE_RULES.invalidData);
    expect(result.findings[1].message).toMatch(/^bad-data: data at "modules": /);
  });

  it('fails a malformed result instead of passing it on', async () => {
    const mode = defineMode({ name: 'sloppy', summary: 'x', options: z.object({}), run: async () => ({ status: 'ok' }) as never });
    const result = await runMode(mode, contextFor('sloppy'), {});
    expect(result.status).toBe('failed');
    expect(result.findings[0].rule).toBe(MODE_RULES.invalidResult);
    expect(result.summary).toContain('status');
  });

  it('runs a subcommand with its own options and refuses an unknown one', async () => {
    const mode = defineMode({
      name: 'code',
      summary: 'x',
      options: z.object({}),
      commands: {
        generate: defineCommand({
          summary: 'Generate',
          options: z.object({ names: z.array(z.string()).min(1) }),
          data: z.object({ count: z.number() }),
          run: async (_ctx, o) => ({ status: 'passed', summary: o.names.join(','), findings: [], data: { count: o.names.length }, artifacts: [] }),
        }),
      },
      run: async () => ({ status: 'passed', summary: 'root', findings: [], data: {}, artifacts: [] }),
    });
    const ok = await runMode(mode, contextFor('code'), { names: ['user', 'order'] }, { command: 'generate' });
    expect(ok).toMatchObject({ status: 'passed', summary: 'user,order', data: { count: 2 }, mode: 'code', command: 'generate' });
    const unknown = await runMode(mode, contextFor('code'), {}, { command: 'scan' });
    expect(unknown.status).toBe('failed');
    expect(unknown.findings[0]).toMatchObject({ rule: MODE_RULES.unknownCommand, message: 'code: unknown command "scan" (known: generate)' });
  });

  it('does not start a mode whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user pressed ctrl-c'));
    const result = await runMode(countMode, contextFor('count-files', { signal: controller.signal }), {});
    expect(result.status).toBe('failed');
    expect(result.findings[0]).toMatchObject({ rule: MODE_RULES.cancelled, message: 'count-files: cancelled before it started (user pressed ctrl-c)' });
  });
});

describe('artifacts', () => {
  it('writes under .sparc/reports/<run-id>/<mode>/ and returns workspace-relative paths', async () => {
    const writer = createArtifactWriter(workspace, 'run-7', 'architect');
    expect(writer.dir).toBe(path.join(workspace.root, '.sparc', 'reports', 'run-7', 'architect'));
    const graph = await writer.write('graph.json', '{"modules":3}');
    const nested = await writer.write('diagrams/graph.mmd', 'graph TD');
    expect(graph).toBe('.sparc/reports/run-7/architect/graph.json');
    expect(nested).toBe('.sparc/reports/run-7/architect/diagrams/graph.mmd');
    expect(await fsp.readFile(path.join(root, graph), 'utf8')).toBe('{"modules":3}');
    expect(writer.written()).toEqual([graph, nested]);
  });

  it('refuses names that climb out with "..", absolute paths, and unsafe run ids', async () => {
    const writer = createArtifactWriter(workspace, 'run-7', 'architect');
    await expect(writer.write('../escape.txt', 'x')).rejects.toMatchObject({ code: 'INVALID_ARTIFACT_PATH' });
    await expect(writer.write('a/../../b.txt', 'x')).rejects.toThrow(/"\.\." is not allowed/);
    await expect(writer.write('/etc/passwd', 'x')).rejects.toThrow(/absolute/);
    await expect(fsp.access(path.join(root, '.sparc', 'reports', 'run-7', 'escape.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => createArtifactWriter(workspace, '../up', 'architect')).toThrow(/runId/);
  });

  it('refuses a report folder that is a symlink leading outside the workspace', async () => {
    const outside = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-outside-'));
    try {
      await fsp.mkdir(path.join(root, '.sparc', 'reports', 'run-7'), { recursive: true });
      await fsp.symlink(outside, path.join(root, '.sparc', 'reports', 'run-7', 'architect'));
      const writer = createArtifactWriter(workspace, 'run-7', 'architect');
      await expect(writer.write('x.txt', 'x')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
      expect(await fsp.readdir(outside)).toEqual([]);
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });

  it('makes run ids that are safe folder names and sort by time', () => {
    const early = newRunId(new Date('2025-01-01T00:00:00.000Z'));
    const late = newRunId(new Date('2025-01-02T00:00:00.000Z'));
    expect(early).toMatch(/^2025-01-01T00-00-00-000Z-[0-9a-f]{6}$/);
    expect([late, early].sort()).toEqual([early, late]);
  });
});

describe('createModeContext', () => {
  let root: string;
  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'mode-context-'));
  });
  afterEach(() => fsp.rm(root, { recursive: true, force: true }));

  const writer = defineMode({
    name: 'writer',
    summary: 'writes through the engine and saves an artifact',
    options: z.object({}),
    async run(ctx) {
      const batch = await ctx.engine.run({ operations: [{ id: 'w', type: 'file.write', params: { path: 'out.txt', content: ctx.spec?.name ?? 'no spec' } }] });
      const artifact = await ctx.artifacts.write('note.md', 'done');
      return { status: batch.status === 'succeeded' ? 'passed' : 'failed', summary: 'wrote', findings: [], data: null, artifacts: [artifact] };
    },
  });

  it('wires an engine, the artifact folder of the mode and the spec', async () => {
    const workspace = await Workspace.open(root);
    const { ctx, close } = createModeContext({ workspace, mode: 'writer', runId: 'run-7', spec: { name: 'shop', entities: [], services: [], requirements: [], targets: { src: 'src', modules: [] } } });
    try {
      const result = await runMode(writer, ctx, {});
      expect(result.status).toBe('passed');
      expect(result.artifacts).toEqual(['.sparc/reports/run-7/writer/note.md']);
      expect(await fsp.readFile(path.join(root, 'out.txt'), 'utf8')).toBe('shop');
    } finally {
      await close();
    }
  });

  it('leaves an engine it was given open', async () => {
    const workspace = await Workspace.open(root);
    const engine = new BatchEngine({ workspace, monitor: false });
    const { ctx, close } = createModeContext({ workspace, mode: 'writer', engine });
    await close();
    expect(ctx.engine).toBe(engine);
    const after = await engine.run({ operations: [{ id: 'w', type: 'file.write', params: { path: 'again.txt', content: 'x' } }] });
    expect(after.status).toBe('succeeded');
    await engine.close();
  });
});
