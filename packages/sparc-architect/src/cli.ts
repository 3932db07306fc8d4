#!/usr/bin/env node
/**
 * `sparc-architect`: the architect mode on its own, for people (and CI jobs) who want the import
 * graph without the rest of sparc. Same options, output and exit codes as `sparc architect`; it
 * only skips loading the other modes, which is most of a short run's start-up.
 *
 *   sparc-architect [SRC...] [--dir DIR] [--json] [--type-edges include] [--no-workspaces] ...
 */
import { parseArgs } from 'node:util';
import type { BatchEngine, ModeEngine, WorkerPool } from '@sparc/batch-core';
// Deep imports of only what this path runs: batch-core's index loads every operation handler, and
// the engine and the worker pool load only if the run needs them (the architect mode uses neither
// the engine nor, for most projects, worker threads). What a run needs beyond the command line
// loads in loadRunner, so --help and usage errors skip it.
import { formatOptionsHelp, toOptionName } from '@sparc/batch-core/dist/lib/mode/describe-options';
import { ModeOptionsError } from '@sparc/batch-core/dist/lib/mode/errors';
import { parseOptionArgs, type RawOptionValue } from '@sparc/batch-core/dist/lib/mode/parse-option-args';
// The mode with plain (generated) schemas: zod loads only to explain a refused option.
import { ARCHITECT_OPTION_DESCRIPTORS, plainArchitectMode as architectMode } from './lib/plain/plain-mode';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const USAGE = `Usage: sparc-architect [SRC...] [--dir DIR] [--json] [options]

${architectMode.summary}. Reports go under DIR/.sparc/reports/<run-id>/architect/.

Options:
${formatOptionsHelp(ARCHITECT_OPTION_DESCRIPTORS).join('\n')}
  --no-<flag>          turns a boolean option off (--no-workspaces, --no-cache)

Common options:
  --dir DIR            workspace root (default: current directory)
  --json               print the result as one JSON document on stdout
  -h, --help           show this help

Exit codes: 0 passed or warning, 1 failed (error findings), 2 invalid options.
`;

class UsageError extends Error {}

interface ParsedCommandLine {
  dir: string;
  json: boolean;
  help: boolean;
  raw: Record<string, RawOptionValue>;
}

/** Flags from the mode's schema, `--no-x` for booleans, positionals into `src`. */
function parseCommandLine(argv: string[]): ParsedCommandLine {
  const descriptors = new Map(ARCHITECT_OPTION_DESCRIPTORS.map((d) => [d.flag.slice(2), d]));
  const { tokens } = parseArgs({ args: argv, strict: false, allowPositionals: true, tokens: true, options: { dir: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  const values = new Map<string, Array<string | boolean>>();
  const add = (name: string, value: string | boolean) => values.set(name, [...(values.get(name) ?? []), value]);
  const result: ParsedCommandLine = { dir: process.cwd(), json: false, help: false, raw: {} };
  const rawArgs = argv;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'positional') {
      add(architectMode.positionals ?? 'src', token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    if (token.name === 'help') result.help = true;
    else if (token.name === 'json') result.json = true;
    else if (token.name === 'dir') {
      if (token.value === undefined) throw new UsageError('--dir needs a value (--dir DIR)');
      result.dir = token.value;
    } else {
      const negated = token.name.startsWith('no-') ? descriptors.get(token.name.slice(3)) : undefined;
      const descriptor = descriptors.get(token.name);
      if (negated?.type === 'boolean') add(negated.name, false);
      else if (descriptor === undefined) throw new UsageError(`unknown option "${token.rawName}" (see --help)`);
      else if (descriptor.type === 'boolean') add(descriptor.name, token.value ?? true);
      else {
        // parseArgs without a declared type reads `--type-edges include` as a flag then a positional.
        let value = token.value;
        if (value === undefined) {
          const next = tokens[i + 1];
          if (next?.kind === 'positional' && next.index === token.index + 1 && !rawArgs[next.index].startsWith('--')) {
            value = next.value;
            i++;
          }
        }
        if (value === undefined) throw new UsageError(`${token.rawName} needs a value`);
        add(descriptor.name, value);
      }
    }
  }
  for (const [name, list] of values) result.raw[toOptionName(name)] = list.length === 1 ? list[0] : list.map(String);
  return result;
}

/* eslint-disable @typescript-eslint/no-require-imports */
function loadRunner() {
  return {
    ...(require('@sparc/batch-core/dist/lib/mode/artifacts') as typeof import('@sparc/batch-core/dist/lib/mode/artifacts')),
    ...(require('@sparc/batch-core/dist/lib/mode/run-mode') as typeof import('@sparc/batch-core/dist/lib/mode/run-mode')),
    ...(require('@sparc/batch-core/dist/lib/workspace/workspace') as typeof import('@sparc/batch-core/dist/lib/workspace/workspace')),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[]): Promise<number> {
  let command: ParsedCommandLine;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sparc-architect: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  let options;
  try {
    options = parseOptionArgs(architectMode.options, command.raw, ARCHITECT_OPTION_DESCRIPTORS);
  } catch (error) {
    if (!(error instanceof ModeOptionsError)) throw error;
    process.stderr.write(`sparc-architect: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const { createArtifactWriter, newRunId, runMode, Workspace } = loadRunner();
  const workspace = await Workspace.open(command.dir);
  let pool: WorkerPool | undefined;
  let batchEngine: BatchEngine | undefined;
  const sharedPool = () => {
    if (pool === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createWorkerPool } = require('@sparc/batch-core/dist/lib/pool/worker-pool') as typeof import('@sparc/batch-core/dist/lib/pool/worker-pool');
      pool = createWorkerPool();
    }
    return pool;
  };
  const engine: ModeEngine = {
    run: (batch, opts) => {
      if (batchEngine === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { BatchEngine: Engine } = require('@sparc/batch-core/dist/lib/engine/engine') as typeof import('@sparc/batch-core/dist/lib/engine/engine');
        batchEngine = new Engine({ workspace, monitor: false, pool: sharedPool });
      }
      return batchEngine.run(batch, opts);
    },
  };
  const runId = newRunId();
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted (SIGINT)'));
  process.once('SIGINT', onSigint);
  try {
    const progress = process.stderr.isTTY && !command.json ? (message: string) => process.stderr.write(`\r\x1b[2Karchitect: ${message}`) : () => undefined;
    const result = await runMode(
      architectMode,
      { runId, workspace, engine, pool: sharedPool, signal: controller.signal, progress, artifacts: createArtifactWriter(workspace, runId, architectMode.name), upstream: {} },
      options,
    );
    if (process.stderr.isTTY && !command.json) process.stderr.write('\r\x1b[2K');
    if (command.json) {
      const { data, ...rest } = result;
      process.stdout.write(`${JSON.stringify({ runId, ...rest, ...(data ?? {}) }, null, 2)}\n`);
    } else {
      process.stdout.write(`${result.status === 'failed' ? '✖' : result.status === 'warning' ? '⚠' : '✔'} architect ${result.status}: ${result.summary}\n`);
      for (const f of result.findings) process.stdout.write(`  ${f.severity}  ${f.rule}  ${f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}  ` : ''}${f.message}\n`);
      if (result.artifacts.length > 0) process.stdout.write(`artifacts (run ${runId}):\n${result.artifacts.map((a) => `  ${a}`).join('\n')}\n`);
    }
    return result.status === 'failed' ? EXIT_FAILED : EXIT_OK;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await batchEngine?.close();
    await pool?.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`sparc-architect: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
