import { makeWorkspace, runCli, writeBatch } from './run-cli';

describe('sparc perf', () => {
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ root, ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  const batch = {
    label: 'perf-test',
    concurrency: 3,
    operations: Array.from({ length: 4 }, (_, i) => ({ id: `w${i}`, type: 'file.write', params: { path: `f${i}.txt`, content: `file ${i}` } })),
  };

  it('summarises the recorded runs and clears them', async () => {
    const file = await writeBatch(root, 'batch.json', batch);
    expect(runCli(['batch', file, '--dir', ws, '--json']).status).toBe(0);
    expect(runCli(['batch', file, '--dir', ws, '--json']).status).toBe(0);

    const summary = runCli(['perf', '--dir', ws, '--json']);
    expect(summary.status).toBe(0);
    const parsed = JSON.parse(summary.stdout) as { runs: number; operations: number; byLabel: Record<string, { runs: number }> };
    expect(parsed.runs).toBe(2);
    expect(parsed.operations).toBe(8);
    expect(parsed.byLabel['perf-test'].runs).toBe(2);

    const text = runCli(['perf', 'summary', '--dir', ws]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('2 runs, 8 operations');

    const cleared = runCli(['perf', 'clear', '--dir', ws, '--json']);
    expect(cleared.status).toBe(0);
    expect(JSON.parse(cleared.stdout)).toEqual({ removed: 2 });

    expect((JSON.parse(runCli(['perf', '--dir', ws, '--json']).stdout) as { runs: number }).runs).toBe(0);
    expect(runCli(['perf', 'clear', '--dir', ws]).stdout).toBe('removed 0 recorded runs\n');
  });

  it('reports trends as JSON', () => {
    const run = runCli(['perf', 'trends', '--dir', ws, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('labels', []);
  });

  it('compares a batch at its concurrency with a sequential run and records both as compare runs', async () => {
    const file = await writeBatch(root, 'batch.json', batch);
    const run = runCli(['perf', 'compare', file, '--dir', ws, '--json']);
    expect(run.status).toBe(0);
    const comparison = JSON.parse(run.stdout) as { concurrency: number; batchStatus: string; sequentialStatus: string; sequential: { concurrency: number } };
    expect(comparison.concurrency).toBe(3);
    expect(comparison.batchStatus).toBe('succeeded');
    expect(comparison.sequentialStatus).toBe('succeeded');
    expect(comparison.sequential.concurrency).toBe(1);

    const summary = JSON.parse(runCli(['perf', '--dir', ws, '--json']).stdout) as { runs: number; byKind: Record<string, number> };
    expect(summary.runs).toBe(2);
    expect(summary.byKind).toEqual({ compare: 2 });

    const text = runCli(['perf', 'compare', file, '--dir', ws, '--concurrency', '2']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('concurrency 2');
    expect(text.stdout).toMatch(/measured ratio|not measurable/);
  });

  it('rejects an unknown subcommand, a compare without a file and a sequential compare', async () => {
    const unknown = runCli(['perf', 'sumary', '--dir', ws]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('did you mean "summary"');
    expect(runCli(['perf', 'compare', '--dir', ws]).status).toBe(2);
    const file = await writeBatch(root, 'batch.json', { ...batch, concurrency: 1 });
    const sequential = runCli(['perf', 'compare', file, '--dir', ws]);
    expect(sequential.status).toBe(2);
    expect(sequential.stderr).toContain('--concurrency');
  });
});
