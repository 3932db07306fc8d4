import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CliContext } from './context';
import { InputError } from './errors';
import { parseJsonInput } from './json-input';

export interface BatchFileInput {
  /** The parsed document; the engine validates its shape. */
  batch: unknown;
  /** How messages name the input: the path as given, or `stdin`. */
  source: string;
  /** Operation ids in the order the file lists them, for ordering results. */
  ids: string[];
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a batch file (`-` = stdin) and parses it as JSON; unreadable or malformed → InputError. */
export async function readBatchFile(file: string, ctx: CliContext): Promise<BatchFileInput> {
  const source = file === '-' ? 'stdin' : file;
  let text: string;
  try {
    text = file === '-' ? await readStream(ctx.stdin) : await fsp.readFile(path.resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`cannot read batch file "${source}": ${reason}`);
  }
  const batch = parseJsonInput(text, source === 'stdin' ? 'stdin' : `"${source}"`);
  return { batch, source, ids: operationIds(batch) };
}

function operationIds(batch: unknown): string[] {
  const operations = (batch as { operations?: unknown } | null)?.operations;
  if (!Array.isArray(operations)) return [];
  return operations.map((op) => (op && typeof (op as { id?: unknown }).id === 'string' ? (op as { id: string }).id : '')).filter(Boolean);
}

/** `--dir` resolved against the working directory (default: the working directory itself). */
export function workspaceDir(dir: string | undefined, ctx: CliContext): string {
  return path.resolve(ctx.cwd, dir ?? '.');
}
