/**
 * Worker task: formats files with the workspace's own Prettier (loaded from the path the main
 * thread resolved from the workspace root), honouring its config and `.prettierignore`. Runs in
 * the pool because Prettier is CPU-bound and its v3 entry loads ESM, which jest cannot.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface FormatItem {
  /** Absolute path of the workspace's `prettier` entry. */
  prettier: string;
  root: string;
  /** Workspace-relative path the content will be written to (selects the parser and the config). */
  path: string;
  content: string;
}

export type FormatOutcome = { status: 'formatted'; content: string } | { status: 'ignored' } | { status: 'failed'; message: string };

interface PrettierApi {
  format(source: string, options: Record<string, unknown>): string | Promise<string>;
  resolveConfig(file: string, options?: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  getFileInfo?(file: string, options?: Record<string, unknown>): Promise<{ ignored: boolean; inferredParser: string | null }>;
}

const loaded = new Map<string, Promise<PrettierApi>>();

function loadPrettier(entry: string): Promise<PrettierApi> {
  let loading = loaded.get(entry);
  if (loading === undefined) {
    loading = (async () => {
      let mod: unknown;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace's Prettier, known only at run time
        mod = require(entry);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
        mod = await import(pathToFileURL(entry).href);
      }
      const api = (typeof (mod as PrettierApi).format === 'function' ? mod : (mod as { default?: unknown }).default) as PrettierApi;
      if (typeof api?.format !== 'function' || typeof api.resolveConfig !== 'function') throw new Error(`${entry} does not look like Prettier (no format/resolveConfig)`);
      return api;
    })();
    loaded.set(entry, loading);
    loading.catch(() => loaded.delete(entry));
  }
  return loading;
}

export async function formatFiles(items: FormatItem[]): Promise<FormatOutcome[]> {
  return Promise.all(items.map(formatOne));
}

async function formatOne(item: FormatItem): Promise<FormatOutcome> {
  try {
    const prettier = await loadPrettier(item.prettier);
    const file = path.join(item.root, item.path);
    if (prettier.getFileInfo) {
      const info = await prettier.getFileInfo(file, { ignorePath: path.join(item.root, '.prettierignore'), resolveConfig: true });
      if (info.ignored || info.inferredParser === null) return { status: 'ignored' };
    }
    const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
    return { status: 'formatted', content: await prettier.format(item.content, { ...config, filepath: file }) };
  } catch (error) {
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
