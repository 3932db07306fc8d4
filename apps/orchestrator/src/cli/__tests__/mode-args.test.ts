import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { defineMode, ModeRegistry } from '@sparc/batch-core';
import { main } from '../main';
import { Capture, makeWorkspace } from './run-cli';

/** Test modes named like the built-in ones, so the shortcuts reach them through the injected registry. */
const integration = defineMode({
  name: 'integration',
  summary: 'test double for positional arrays',
  options: z.object({}),
  async run() {
    return { status: 'passed', summary: 'top', findings: [], data: {}, artifacts: [] };
  },
  commands: {
    wait: {
      summary: 'echo the resources',
      options: z.object({ resources: z.array(z.string()).min(1), timeoutMs: z.number().default(1000) }),
      positionals: 'resources',
      async run(_ctx, options) {
        return { status: 'passed', summary: `${options.resources.length} resource(s)`, findings: [], data: { resources: options.resources, timeoutMs: options.timeoutMs }, artifacts: [] };
      },
    },
  },
});

const code = defineMode({
  name: 'code',
  summary: 'test double for a single positional and --no- flags',
  options: z.object({}),
  async run() {
    return { status: 'passed', summary: 'top', findings: [], data: {}, artifacts: [] };
  },
  commands: {
    generate: {
      summary: 'echo the generator',
      options: z.object({ generator: z.string().optional(), cache: z.boolean().default(true), dryRun: z.boolean().default(false), status: z.string().default('from-data') }),
      positionals: 'generator',
      async run(_ctx, options) {
        return {
          status: 'passed',
          summary: `generator ${options.generator ?? '(none)'}`,
          findings: [],
          data: { generator: options.generator ?? null, cache: options.cache, status: options.status, ...(options.dryRun ? { diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' } : {}) },
          artifacts: [],
        };
      },
    },
  },
});

const specReader = defineMode({
  name: 'spec',
  summary: 'reports the spec it was given',
  options: z.object({}),
  async run(ctx) {
    return { status: 'passed', summary: 'spec seen', findings: [], data: { specName: ctx.spec?.name ?? null }, artifacts: [] };
  },
});

const custom = defineMode({
  name: 'lint-rules',
  summary: 'a mode the CLI has never heard of',
  options: z.object({ strict: z.boolean().default(false) }),
  async run(_ctx, options) {
    return { status: 'passed', summary: 'linted', findings: [], data: { strict: options.strict }, artifacts: [] };
  },
});

describe('mode positionals, --no- flags and shortcuts', () => {
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  async function run(argv: string[]) {
    const stdout = new Capture();
    const stderr = new Capture();
    const modes = new ModeRegistry().register(integration).register(code).register(specReader).register(custom);
    const exit = await main(argv, { modes, stdout, stderr, cwd: ws });
    return { exit, stdout: stdout.text, stderr: stderr.text };
  }

  it('gives every word after the command to an array positional option', async () => {
    const result = await run(['mode', 'integration', 'wait', 'http://127.0.0.1:1/', 'tcp:127.0.0.1:2', 'file:x', '--timeout-ms', '50', '--json']);
    expect(result.exit).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.data.resources).toEqual(['http://127.0.0.1:1/', 'tcp:127.0.0.1:2', 'file:x']);
    expect(json.data.timeoutMs).toBe(50);
  });

  it('gives one word to a string positional option and refuses a second', async () => {
    const one = await run(['code', 'generate', 'crud', '--json']);
    expect(one.exit).toBe(0);
    expect(JSON.parse(one.stdout).generator).toBe('crud');
    const two = await run(['code', 'generate', 'crud', 'extra']);
    expect(two.exit).toBe(2);
    expect(two.stderr).toContain('unexpected argument "extra"');
  });

  it('refuses a positional given again as its option', async () => {
    const result = await run(['code', 'generate', 'crud', '--generator', 'module']);
    expect(result.exit).toBe(2);
    expect(result.stderr).toContain('"generator" is given both as an argument and as an option');
  });

  it('turns --no-FLAG into false for a boolean option', async () => {
    const on = await run(['code', 'generate', '--json']);
    expect(JSON.parse(on.stdout).cache).toBe(true);
    const off = await run(['code', 'generate', '--no-cache', '--json']);
    expect(off.exit).toBe(0);
    expect(JSON.parse(off.stdout).cache).toBe(false);
  });

  it('prints data at the top level for a shortcut and keeps the envelope for sparc mode', async () => {
    const shortcut = JSON.parse((await run(['code', 'generate', 'crud', '--json'])).stdout);
    expect(shortcut.generator).toBe('crud');
    expect(shortcut.status).toBe('from-data');
    expect(typeof shortcut.runId).toBe('string');
    const envelope = JSON.parse((await run(['mode', 'code', 'generate', 'crud', '--json'])).stdout);
    expect(envelope.status).toBe('passed');
    expect(envelope.data.generator).toBe('crud');
  });

  it('prints a dry run diff from data.diff in human output', async () => {
    const result = await run(['code', 'generate', 'crud', '--dry-run']);
    expect(result.exit).toBe(0);
    expect(result.stdout).toContain('+++ b/x');
    expect(result.stdout.indexOf('+++ b/x')).toBeLessThan(result.stdout.indexOf('generator crud'));
  });

  it('runs a custom mode of the workspace as a command of its own, and still refuses unknown commands', async () => {
    const config = { modes: [{ name: 'list-sources', summary: 'Lists the sources', operations: [{ id: 'glob', type: 'search.glob', params: { patterns: 'src/**/*.ts' } }] }] };
    await fsp.writeFile(path.join(ws, 'sparc.config.json'), JSON.stringify(config));
    const fromConfig = await run(['list-sources', '--json']);
    expect(fromConfig.exit).toBe(0);
    expect(JSON.parse(fromConfig.stdout).mode).toBe('list-sources');
    const result = await run(['lint-rules', '--strict', '--json']);
    expect(result.exit).toBe(0);
    expect(JSON.parse(result.stdout).strict).toBe(true);
    const unknown = await run(['lint-rulez']);
    expect(unknown.exit).toBe(2);
    expect(unknown.stderr).toContain('unknown command "lint-rulez"');
  });

  it('names the unknown command of a mode without positionals', async () => {
    const result = await run(['integration', 'wiat']);
    expect(result.exit).toBe(2);
    expect(result.stderr).toContain('has no command "wiat"');
    expect(result.stderr).toContain('did you mean "wait"');
  });

  it('hands the workspace spec to the mode, and warns about an invalid one', async () => {
    await fsp.writeFile(path.join(ws, 'sparc.spec.json'), JSON.stringify({ name: 'shop', entities: [{ name: 'Order', fields: ['total:number'] }] }));
    const valid = await run(['spec', '--json']);
    expect(JSON.parse(valid.stdout).specName).toBe('shop');
    await fsp.writeFile(path.join(ws, 'sparc.spec.json'), JSON.stringify({ name: 'shop', entities: [{ name: 'order', fields: [] }] }));
    const invalid = await run(['spec', '--json']);
    expect(JSON.parse(invalid.stdout).specName).toBeNull();
    expect(invalid.stderr).toContain('entities[0].name');
  });
});
