import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { formatIssuePath, type ModeDefinition, type ValidationIssue } from '@sparc/batch-core';
import { toModeDefinition } from './custom-modes';
import { ConfigError, ConfigLoadError } from './errors';
import { CONFIG_FILE_NAMES } from './file-names';
import { loadConfigModule } from './load-module';
import { SparcConfigSchema, type SparcConfigData } from './schema';

export { CONFIG_FILE_NAMES };

export interface SparcConfig extends Omit<SparcConfigData, 'modes'> {
  /** Absolute path of the file it came from; absent when the workspace has none. */
  file?: string;
  /** How messages name the file: its name relative to the workspace. */
  source: string;
  /** The custom modes, checked and frozen. */
  modes: ModeDefinition[];
}

const EMPTY: SparcConfigData = { pipelines: {}, modes: [], defaults: {} };

async function exists(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The workspace's config file (absolute), `undefined` if none; two of them is an error. */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  const found: string[] = [];
  for (const name of CONFIG_FILE_NAMES) if (await exists(path.join(dir, name))) found.push(name);
  if (found.length > 1) {
    throw new ConfigError(found[0], [{ path: '(file)', message: `${found.join(' and ')} both exist in ${dir}; keep one` }], 'ambiguous config');
  }
  return found.length === 1 ? path.join(dir, found[0]) : undefined;
}

/** Validates config data already loaded from `source` (a file name for messages). */
export function parseConfig(data: unknown, source: string, file?: string): SparcConfig {
  const parsed = SparcConfigSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue): ValidationIssue => ({ path: formatIssuePath(issue.path), message: issue.message }));
    throw new ConfigError(source, issues);
  }
  const issues: ValidationIssue[] = [];
  const modes: ModeDefinition[] = [];
  const names = new Map<string, number>();
  parsed.data.modes.forEach((candidate, i) => {
    const result = toModeDefinition(candidate, `modes[${i}]`);
    issues.push(...result.issues);
    if (!result.mode) return;
    const earlier = names.get(result.mode.name);
    if (earlier !== undefined) issues.push({ path: `modes[${i}].name`, message: `mode "${result.mode.name}" is already defined at modes[${earlier}]` });
    names.set(result.mode.name, i);
    modes.push(result.mode);
  });
  if (issues.length > 0) throw new ConfigError(source, issues);
  return { ...parsed.data, modes, source, ...(file ? { file } : {}) };
}

/**
 * The config of the workspace at `dir`: `sparc.config.{js,cjs,mjs,json}` loaded and validated, or
 * an empty config when there is none. Errors name the file and the field.
 */
export async function loadConfig(dir: string): Promise<SparcConfig> {
  const file = await findConfigFile(dir);
  if (!file) return { ...EMPTY, modes: [], source: '(no config)' };
  const source = path.basename(file);
  let data: unknown;
  try {
    data = await loadConfigModule(file);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `syntax error: ${error.message}` : error instanceof Error ? error.message : String(error);
    throw new ConfigLoadError(source, reason, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(source, [{ path: '(root)', message: 'must export an object ({ pipelines?, modes?, defaults?, pipeline? })' }]);
  }
  return parseConfig(data, source, file);
}
