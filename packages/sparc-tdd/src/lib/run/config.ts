import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { TddError } from '../errors';
import { readConfigKey } from './load-config-module';
import { suitesConfigSchema, type SuiteEntry } from './suites';

/** The `tdd` section of sparc.config.{json,cjs,js}. */
const tddConfigSchema = z
  .object({
    suites: suitesConfigSchema.optional(),
  })
  .loose();

export type TddConfig = z.infer<typeof tddConfigSchema>;

const CONFIG_FILES = ['sparc.config.json', 'sparc.config.cjs', 'sparc.config.js'];

/**
 * Reads the `tdd` section of the workspace's sparc config, when there is one. JSON and CommonJS
 * configs are read here; an ESM-only `sparc.config.mjs` reaches the mode through the orchestrator.
 */
export function readTddConfig(root: string): { file?: string; config: TddConfig } {
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    let section: unknown;
    try {
      section = name.endsWith('.json') ? (JSON.parse(readFileSync(file, 'utf8')) as { tdd?: unknown } | null)?.tdd : readConfigKey(file, 'tdd');
    } catch (error) {
      throw new TddError('TDD_BAD_CONFIG', `cannot read ${name}: ${(error as Error).message}`, { cause: error });
    }
    if (section === undefined || section === null) return { file: name, config: {} };
    const parsed = tddConfigSchema.safeParse(section);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TddError('TDD_BAD_CONFIG', `${name}: tdd.${issue.path.join('.')}: ${issue.message}`);
    }
    return { file: name, config: parsed.data };
  }
  return { config: {} };
}

/** `--suites unit=packages/a,e2e="npm run e2e"` entries as a suites record. */
export function suitesFromOption(values: string[]): Record<string, SuiteEntry> {
  const suites: Record<string, SuiteEntry> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const name = eq > 0 ? value.slice(0, eq).trim() : path.posix.basename(value.replace(/\/+$/, '')) || 'root';
    const entry = eq > 0 ? value.slice(eq + 1).trim() : value.trim();
    if (entry === '') throw new TddError('TDD_BAD_CONFIG', `--suites: "${value}" has no folder, config or command after "="`);
    suites[name] = entry;
  }
  return suites;
}
