import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { defineMode, ModeRegistry, type BatchResult, type Finding } from '@sparc/batch-core';
import { z } from 'zod';
import { createSparcMcpServer, type SparcMcpServer } from '../server';
import { firstText, tempDir } from './mcp-client';

/** A small mode that does real work through ctx.engine: finds files, counts their words, writes a report. */
const wordCount = defineMode({
  name: 'word-count',
  summary: 'Counts the words of the files matching patterns',
  options: z.object({
    patterns: z.array(z.string().min(1)).default(['**/*.md']).describe('Glob patterns of the files to count'),
    failBelow: z.number().int().min(0).default(0).describe('Fail when the total is below this'),
    runNode: z.boolean().default(false).describe('Also run node through an exec operation'),
    explode: z.boolean().default(false),
  }),
  data: z.object({ files: z.number(), words: z.number(), perFile: z.record(z.string(), z.number()) }),
  async run(ctx, options) {
    if (options.explode) throw new Error('the counter exploded');
    ctx.progress('finding files');
    const found = await ctx.engine.run({ operations: [{ id: 'glob', type: 'search.glob', params: { patterns: options.patterns } }] }, { signal: ctx.signal });
    const files = (found.results[0].output as { files: string[] }).files;
    ctx.progress(`reading ${files.length} files`);
    const read = await ctx.engine.run({ operations: files.map((file, i) => ({ id: `read-${i}`, type: 'file.read', params: { path: file } })) }, { signal: ctx.signal });
    const perFile: Record<string, number> = {};
    read.results.forEach((r, i) => (perFile[files[i]] = (r.output as { content: string }).content.split(/\s+/).filter(Boolean).length));
    const words = Object.values(perFile).reduce((a, b) => a + b, 0);
    const findings: Finding[] = [];
    if (options.runNode) {
      const ran: BatchResult = await ctx.engine.run({ operations: [{ id: 'node', type: 'exec', params: { command: 'node', args: ['-e', '1'] } }] });
      const error = ran.results[0].error;
      if (error) findings.push({ severity: 'error', rule: 'word-count.exec', message: `${error.code}: ${error.message}` });
    }
    if (words < options.failBelow) findings.push({ severity: 'error', rule: 'word-count.too-few', message: `${words} words, fewer than ${options.failBelow}` });
    const report = await ctx.artifacts.write('counts.json', JSON.stringify(perFile));
    return {
      status: findings.some((f) => f.severity === 'error') ? 'failed' : 'passed',
      summary: `${words} words in ${files.length} files`,
      findings,
      data: { files: files.length, words, perFile },
      artifacts: [report],
    };
  },
});

type ModeOutput = { runId: string; status: string; summary: string; findings: Finding[]; data?: { words: number; files: number }; artifacts: string[] };

describe('sparc_run_mode and sparc_list_modes (SDK client, in-memory transport)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;
  let sparc: SparcMcpServer;
  let client: Client;
  const logs: string[] = [];

  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    ({ dir: ws, cleanup } = await tempDir('modes'));
    await fsp.mkdir(path.join(ws, 'docs'));
    await fsp.writeFile(path.join(ws, 'docs', 'a.md'), 'one two three\n');
    await fsp.writeFile(path.join(ws, 'docs', 'b.md'), 'four five\n');
    await fsp.writeFile(path.join(ws, 'notes.txt'), 'not counted\n');
    sparc = await createSparcMcpServer({
      dir: ws,
      version: '0.0.0-test',
      modes: () => new ModeRegistry().register(wordCount, { source: 'custom' }),
      log: (line) => logs.push(line),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'sparc-test', version: '1.0.0' });
    await Promise.all([client.connect(clientSide), sparc.server.connect(serverSide)]);
  });

  afterAll(async () => {
    await client?.close();
    await sparc?.close();
    await cleanup();
  });

  it('lists the mode with the JSON Schema of its options', async () => {
    const result = await call('sparc_list_modes', {});
    const [mode] = (result.structuredContent as { modes: Array<{ name: string; source: string; options: { properties: Record<string, unknown> } }> }).modes;
    expect(mode.name).toBe('word-count');
    expect(mode.source).toBe('custom');
    expect(Object.keys(mode.options.properties)).toEqual(['patterns', 'failBelow', 'runNode', 'explode']);
  });

  it('runs the mode: its data, its report file and progress come back', async () => {
    const progress: string[] = [];
    const result = (await client.callTool({ name: 'sparc_run_mode', arguments: { mode: 'word-count', options: { patterns: ['docs/*.md'] } } }, undefined, {
      onprogress: (p) => progress.push(String(p.message)),
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const output = result.structuredContent as ModeOutput;
    expect(output).toMatchObject({ status: 'passed', summary: '5 words in 2 files', data: { words: 5, files: 2 } });
    expect(output.artifacts).toEqual([`.sparc/reports/${output.runId}/word-count/counts.json`]);
    expect(JSON.parse(await fsp.readFile(path.join(ws, output.artifacts[0]), 'utf8'))).toEqual({ 'docs/a.md': 3, 'docs/b.md': 2 });
    expect(progress).toContain('word-count: reading 2 files');
  });

  it('records the mode\'s batches as its own', async () => {
    const perf = await call('batch_performance', { action: 'summary' });
    expect((perf.structuredContent as { summary: { byKind: Record<string, number> } }).summary.byKind.mode).toBeGreaterThanOrEqual(2);
  });

  it('answers options that break the mode\'s schema with a tool error naming the option', async () => {
    const result = await call('sparc_run_mode', { mode: 'word-count', options: { failBelow: -1, colour: 'red' } });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toContain('failBelow');
    const rules = (result.structuredContent as ModeOutput).findings.map((f) => f.rule);
    expect(rules).toEqual(['mode.invalid-options', 'mode.invalid-options']);
    expect(firstText(result)).toContain('unknown option "colour"');
  });

  it('reports a failed mode and a mode that throws as tool errors with their result, then goes on serving', async () => {
    const failed = await call('sparc_run_mode', { mode: 'word-count', options: { patterns: ['docs/*.md'], failBelow: 100 } });
    expect(failed.isError).toBe(true);
    expect((failed.structuredContent as ModeOutput).findings[0]).toMatchObject({ rule: 'word-count.too-few' });

    const thrown = await call('sparc_run_mode', { mode: 'word-count', options: { explode: true } });
    expect(thrown.isError).toBe(true);
    expect(firstText(thrown)).toContain('the counter exploded');

    const unknownCommand = await call('sparc_run_mode', { mode: 'word-count', command: 'scan' });
    expect(unknownCommand.isError).toBe(true);
    expect(firstText(unknownCommand)).toContain('unknown command "scan"');

    const again = await call('sparc_run_mode', { mode: 'word-count', options: { patterns: ['*.txt'] } });
    expect((again.structuredContent as ModeOutput).data?.words).toBe(2);
  });

  it('applies the exec allow-list to what a mode runs through its engine', async () => {
    const result = await call('sparc_run_mode', { mode: 'word-count', options: { patterns: ['docs/*.md'], runNode: true } });
    expect(result.isError).toBe(true);
    const [finding] = (result.structuredContent as ModeOutput).findings;
    expect(finding.rule).toBe('word-count.exec');
    expect(finding.message).toContain('EXEC_REFUSED');
  });
});
