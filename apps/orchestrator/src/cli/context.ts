import type { ModeRegistry } from '@sparc/batch-core';

/** The part of a stream the CLI writes to; `isTTY`/`columns` decide whether progress shows. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches outside itself, so it can run in-process with other streams. */
export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream;
  /** Base for relative paths (batch files, `--dir`). */
  cwd: string;
  /** Replaces the built-in mode registry (embedding, tests). */
  modes?: ModeRegistry;
}

export interface MainOptions {
  /** Modes to list and run instead of the built-in registry. */
  modes?: ModeRegistry;
  stdout?: OutputStream;
  stderr?: OutputStream;
  stdin?: NodeJS.ReadableStream;
  cwd?: string;
}

export interface Command {
  name: string;
  /** Name and arguments for the command list: `batch FILE|-`. */
  synopsis: string;
  /** One line for `sparc --help`. */
  summary: string;
  /** Full text for `sparc COMMAND --help`. */
  help: string;
  /** Resolves to the exit code. Throws UsageError (exit 2) for bad arguments. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}
