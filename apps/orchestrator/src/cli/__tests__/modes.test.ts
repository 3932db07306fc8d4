import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { defineMode, ModeRegistry } from '@sparc/batch-core';
import { main } from '../main';
import { Capture, makeWorkspace, runCli } from './run-cli';

/** A mode defined for these tests only: it writes through the engine, saves an artifact and fails on request. */
const fixture = defineMode({
  name: 'fixture',
  summary: 'Test fixture mode',
  options: z.object({
    greeting: z.string().default('hello').describe('What to write'),
    repeat: z.number().int().min(1).max(5).default(1).describe('How many files'),
    tags: z.array(z.string()).default([]),
    fail: z.boolean().default(false).describe('Report failure'),
  }),
  async run(ctx, options) {
    const operations = Array.from({ length: options.repeat }, (_, i) => ({ id: `w${i}`, type: 'file.write', params: { path: `greeting-${i}.txt`, content: options.greeting } }));
    const batch = await ctx.engine.run({ operations }, { signal: ctx.signal });
    const artifact = await ctx.artifacts.write('report.json', JSON.stringify({ tags: options.tags }));
    return {
      status: options.fail ? 'failed' : 'passed',
      summary: `${batch.results.length} file(s) written`,
      findings: options.fail ? [{ severity: 'error', rule: 'fixture.asked-to-fail', message: 'failure requested' }] : [],
      data: { tags: options.tags, written: batch.results.length },
      artifacts: [artifact],
    };
  },
  commands: {
    shout: {
      summary: 'Write in capitals',
      options: z.object({ word: z.string() }),
      async run(ctx, options) {
        const artifact = await ctx.artifacts.write('shout.txt', options.word.toUpperCase());
        return { status: 'warning', summary: 'shouted', findings: [], data: null, artifacts: [artifact] };
      },
    },
  },
});

function registry(): ModeRegistry {
  return new ModeRegistry().register(fixture);
}

describe('sparc modes and sparc mode', () => {
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  async function runMain(argv: string[]) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(argv, { modes: registry(), stdout, stderr, cwd: ws });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('lists the built-in modes', () => {
    const json = runCli(['modes', '--json']);
    expect(json.status).toBe(0);
    const listed = JSON.parse(json.stdout) as Array<{ name: string; source: string }>;
    expect(listed.map((m) => m.name)).toEqual(expect.arrayContaining(['spec', 'debug', 'security-review', 'optimization']));
    expect(listed.every((m) => m.source === 'builtin')).toBe(true);
    const text = runCli(['modes']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^security-review +builtin +Secrets/m);
  });

  it('rejects an unknown mode with exit 2 and the list of known modes', async () => {
    const spawned = runCli(['mode', 'no-such-mode']);
    expect(spawned.status).toBe(2);
    expect(spawned.stderr).toMatch(/unknown mode "no-such-mode" \(known: .*security-review/);
    const injected = await runMain(['mode', 'fixtur']);
    expect(injected.code).toBe(2);
    expect(injected.stderr).toContain('known: fixture');
    expect(injected.stderr).toContain('did you mean "fixture"');
  });

  it('lists an injected mode', async () => {
    const run = await runMain(['modes', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ name: 'fixture', summary: 'Test fixture mode', source: 'builtin', commands: ['shout'] }]);
  });

  it('runs a mode that passes, with options from flags and --opt, and writes its artifact under the run folder', async () => {
    const run = await runMain(['mode', 'fixture', '--json', '--repeat', '2', '--opt', 'greeting=hi there', '--tags', 'a,b', '--tags', 'c']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { runId: string; status: string; mode: string; data: { tags: string[]; written: number }; artifacts: string[] };
    expect(result.status).toBe('passed');
    expect(result.mode).toBe('fixture');
    expect(result.data).toEqual({ tags: ['a', 'b', 'c'], written: 2 });
    expect(result.artifacts).toEqual([`.sparc/reports/${result.runId}/fixture/report.json`]);
    expect(JSON.parse(await fsp.readFile(path.join(ws, result.artifacts[0]), 'utf8'))).toEqual({ tags: ['a', 'b', 'c'] });
    expect(await fsp.readFile(path.join(ws, 'greeting-1.txt'), 'utf8')).toBe('hi there');
    const records = (await fsp.readFile(path.join(ws, '.sparc', 'metrics.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'mode', mode: 'fixture', runId: result.runId, operations: 2 });
  });

  it('exits 1 when the mode fails, and prints its findings', async () => {
    const run = await runMain(['mode', 'fixture', '--fail']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ fixture failed: 1 file(s) written');
    expect(run.stdout).toMatch(/error +fixture\.asked-to-fail +failure requested/);
  });

  it('exits 2 on options that do not fit the schema, naming the flag', async () => {
    const tooMany = await runMain(['mode', 'fixture', '--repeat', '9']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('--repeat');
    const notNumber = await runMain(['mode', 'fixture', '--repeat', 'lots']);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('expects a number');
    const unknownFlag = await runMain(['mode', 'fixture', '--repaet', '2']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('did you mean "--repeat"');
    const badOpt = await runMain(['mode', 'fixture', '--opt', 'colour=red']);
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr).toContain('unknown option "--colour"');
    expect(await fsp.readdir(ws)).toEqual([]);
  });

  it('runs a subcommand with its own options', async () => {
    const run = await runMain(['mode', 'fixture', 'shout', '--word', 'hey', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; command: string; artifacts: string[] };
    expect(result).toMatchObject({ status: 'warning', command: 'shout' });
    expect(await fsp.readFile(path.join(ws, result.artifacts[0]), 'utf8')).toBe('HEY');
    const missing = await runMain(['mode', 'fixture', 'shout']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--word');
    const typo = await runMain(['mode', 'fixture', 'shuot']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "shout"');
  });

  it('prints the options of a mode on --help', async () => {
    const run = await runMain(['mode', 'fixture', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: sparc mode fixture [COMMAND]');
    expect(run.stdout).toMatch(/--repeat <number> +How many files; default: 1/);
    expect(run.stdout).toMatch(/shout +Write in capitals/);
    const sub = await runMain(['mode', 'fixture', 'shout', '--help']);
    expect(sub.stdout).toMatch(/--word <string> +required/);
  });
});
