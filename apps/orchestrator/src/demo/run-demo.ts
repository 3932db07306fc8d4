import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { RunPipelineResult, SummaryModeJson } from '../pipeline';
import { runPipeline } from '../pipeline';
import { prepareDemo } from './prepare';

export interface DemoOptions {
  /** Folder to create the demo workspace in (default: the OS temp folder). */
  parent?: string;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export interface DemoResult {
  /** The copied workspace. */
  dir: string;
  /** The tests-first run: the spec's acceptance tests, run before any implementation exists. */
  red: { runId: string; reportDir: string; failing: string[] };
  /** The SPARC pipeline's run. */
  pipeline: RunPipelineResult;
  /** What `debug` said after running every suite once the code existed (its summary line). */
  green?: string;
  /** True when the tests were red first and the whole pipeline then passed. */
  ok: boolean;
}

/** A mode's one-line summary, from the run's timeline.json (the pipeline's result keeps only findings). */
async function modeSummary(reportDir: string, name: string): Promise<string | undefined> {
  try {
    const timeline = JSON.parse(await fsp.readFile(path.join(reportDir, 'timeline.json'), 'utf8')) as { stages: Array<{ modes: Array<{ name: string; summary?: string }> }> };
    return timeline.stages.flatMap((s) => s.modes).find((m) => m.name === name)?.summary;
  } catch {
    return undefined;
  }
}

const findMode = (result: RunPipelineResult, name: string): SummaryModeJson | undefined => result.summary.stages.flatMap((s) => s.modes).find((m) => m.name === name);

/**
 * `sparc demo`: copies the bundled bookshop workspace to a temp folder, writes the spec's
 * acceptance tests and runs them before any code exists (they must fail: red), then runs the whole
 * SPARC pipeline there, in which `code` writes the implementation, `debug` runs every suite (green)
 * and `integration` starts the service and checks its contract.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const progress = options.progress ?? (() => undefined);
  const prepared = await prepareDemo(options.parent);
  progress(`workspace ${prepared.dir} (service port ${prepared.port})`);
  const common = { dir: prepared.dir, ...(options.signal ? { signal: options.signal } : {}), progress };

  progress('tests first: writing the acceptance tests and running them before the code exists');
  const red = await runPipeline({ ...common, pipeline: 'tests-first' });
  const tdd = findMode(red, 'tdd');
  const failing = (tdd?.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.file ?? f.message);

  progress('the SPARC pipeline: spec, architect, code ∥ tdd, debug ∥ security-review ∥ optimization, integration');
  const pipeline = await runPipeline(common);
  const green = await modeSummary(pipeline.reportDir, 'debug');
  return {
    dir: prepared.dir,
    red: { runId: red.runId, reportDir: red.reportDir, failing },
    pipeline,
    ...(green !== undefined ? { green } : {}),
    ok: red.status === 'failed' && failing.length > 0 && pipeline.status !== 'failed',
  };
}
