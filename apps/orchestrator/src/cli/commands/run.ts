import * as path from 'node:path';
import type { RunPipelineResult } from '../../pipeline';
import { positiveIntegerFlag, type ArgsSpec } from '../args';
import type { CliContext } from '../context';
import { defineCommand } from '../define-command';
import { EXIT_FAILED, EXIT_OK } from '../errors';
import { workspaceDir } from '../input';
import { withInterrupt } from '../interrupt';
import { interrupted, loadCore, loadPipeline } from '../lazy';
import { formatMs, printJson, renderTable, StatusLine } from '../output';

const ARGS: ArgsSpec = {
  command: 'sparc run',
  flags: {
    pipeline: { type: 'string', valueName: 'NAME' },
    spec: { type: 'string', valueName: 'FILE' },
    dir: { type: 'string', valueName: 'DIR' },
    only: { type: 'string', multiple: true, valueName: 'a,b' },
    'keep-going': { type: 'boolean' },
    concurrency: { type: 'string', valueName: 'N' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0, names: 'no arguments' },
};

const HELP = `Usage: sparc run [--pipeline NAME] [--spec FILE] [--dir DIR] [--only a,b] [--keep-going] [--concurrency N] [--json]

Runs a pipeline in a workspace: its stages in order, the modes of each stage side by side on one
engine. The default "sparc" pipeline is
  specification (spec) → architecture (architect) → implementation (code ∥ tdd)
  → quality (debug ∥ security-review ∥ optimization) → integration (integration).
Pipelines, custom modes and per-mode defaults come from sparc.config.{js,cjs,mjs,json}.
A stage with a failed mode stops the pipeline unless --keep-going. The report goes to
.sparc/reports/<run-id>/ (summary.md, summary.json, report.html); its path is the last line printed.

Options:
  --pipeline NAME    a pipeline of the config, or "sparc" (default: the config's "pipeline", else "sparc")
  --spec FILE        the spec (default: sparc.spec.json|yaml in the workspace)
  --dir DIR          workspace root (default: current directory)
  --only a,b         run only these stages or modes (names from the pipeline)
  --keep-going       go on with the next stages after a stage fails
  --concurrency N    at most N modes of a stage at once (default: all of them)
  --json             print { runId, status, reportDir, stages } as one JSON document
  -h, --help         show this help

Exit codes: 0 passed or warning, 1 a mode failed, 2 usage, config or spec errors.
`;

const SYMBOL = { passed: '✔', warning: '⚠', failed: '✖', skipped: '○' } as const;

function printHuman(result: RunPipelineResult, ctx: CliContext): void {
  const rows: string[][] = [];
  for (const stage of result.summary.stages) {
    rows.push([`${SYMBOL[stage.status]} ${stage.name}`, stage.status, stage.status === 'skipped' ? '' : formatMs(stage.durationMs), '']);
    for (const mode of stage.modes) {
      const errors = mode.findings.filter((f) => f.severity === 'error').length;
      const warnings = mode.findings.filter((f) => f.severity === 'warning').length;
      const counts = mode.status === 'skipped' ? '' : `${errors} error(s), ${warnings} warning(s)`;
      rows.push([`    ${SYMBOL[mode.status]} ${mode.name}`, mode.status, mode.status === 'skipped' ? '' : formatMs(mode.durationMs), counts]);
    }
  }
  ctx.stdout.write(`${renderTable(rows)}\n`);
  const failures = result.summary.stages.flatMap((s) => s.modes).flatMap((m) => m.findings.filter((f) => f.severity === 'error').map((f) => ({ mode: m.name, f })));
  if (failures.length > 0) {
    const shown = failures.slice(0, 20).map(({ mode, f }) => [mode, f.rule, f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '', f.message]);
    ctx.stdout.write(`errors${failures.length > 20 ? ` (first 20 of ${failures.length})` : ''}:\n${renderTable(shown, '  ')}\n`);
  }
  ctx.stdout.write(`${SYMBOL[result.status]} pipeline ${result.status} (run ${result.runId})\n${result.reportDir}\n`);
}

export const runCommand = defineCommand({
  name: 'run',
  synopsis: 'run',
  summary: 'run a pipeline (default: the SPARC pipeline) and write its report',
  help: HELP,
  args: ARGS,
  async run(args, ctx) {
    const concurrency = positiveIntegerFlag('concurrency', args.string('concurrency'));
    const only = args
      .list('only')
      .flatMap((item) => item.split(','))
      .map((item) => item.trim())
      .filter(Boolean);
    const spec = args.string('spec');
    // Loaded first so that config, spec and pipeline errors are recognised as validation errors (exit 2).
    loadCore();
    const { runPipeline } = loadPipeline();
    const status = new StatusLine(ctx.stderr);
    let result: RunPipelineResult;
    try {
      result = await withInterrupt(ctx.stderr, interrupted, (signal) =>
        runPipeline({
          dir: workspaceDir(args.string('dir'), ctx),
          ...(spec !== undefined ? { spec: path.resolve(ctx.cwd, spec) } : {}),
          ...(args.string('pipeline') !== undefined ? { pipeline: args.string('pipeline') } : {}),
          ...(only.length > 0 ? { only } : {}),
          keepGoing: args.boolean('keep-going'),
          ...(concurrency !== undefined ? { concurrency } : {}),
          signal,
          progress: (message) => status.set(message),
          ...(ctx.modes ? { modes: ctx.modes } : {}),
        }),
      );
    } finally {
      status.clear();
    }
    if (args.boolean('json')) printJson(ctx.stdout, { runId: result.runId, status: result.status, reportDir: result.reportDir, stages: result.summary.stages });
    else printHuman(result, ctx);
    return result.status === 'failed' ? EXIT_FAILED : EXIT_OK;
  },
});
