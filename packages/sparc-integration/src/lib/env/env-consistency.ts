import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ServiceSpec, Workspace } from '@sparc/batch-core';
import { parseDotenv } from './dotenv';

export interface ServiceEnvReport {
  name: string;
  /** Keys the service requires: its `.env.example`, and manifest `env` entries left empty. */
  required: string[];
  /** Required keys set nowhere: not in the manifest, not in its `.env`, not in the environment. */
  missing: string[];
  /** Workspace-relative files read (`.env.example`, `.env`). */
  files: string[];
}

export interface SharedKeyReport {
  key: string;
  /** Services that set the key themselves (manifest `env` or their `.env`). */
  services: string[];
  consistent: boolean;
  /**
   * A short SHA-256 fingerprint of each service's value: enough to see which agree, without
   * writing secrets into reports.
   */
  fingerprints: Record<string, string>;
}

export interface EnvConsistency {
  services: ServiceEnvReport[];
  shared: SharedKeyReport[];
}

async function readDotenv(file: string): Promise<Map<string, string> | undefined> {
  try {
    return parseDotenv(await fsp.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

/**
 * Environment consistency of the services: for each, the keys it requires (its `.env.example`,
 * and manifest `env` entries with an empty value, meaning "must come from outside") against what
 * it will have (the manifest's `env`, its `.env`, the inherited environment); and for keys that
 * several services set themselves, whether they set the same value.
 */
export async function checkEnvironment(workspace: Workspace, services: readonly ServiceSpec[], inherited: NodeJS.ProcessEnv = process.env): Promise<EnvConsistency> {
  const own = new Map<string, Map<string, string>>();
  const reports = await Promise.all(
    services.map(async (service): Promise<ServiceEnvReport> => {
      const dir = await workspace.resolveReal(service.cwd ?? '.');
      const files: string[] = [];
      const example = await readDotenv(path.join(dir, '.env.example'));
      if (example) files.push(workspace.relative(path.join(dir, '.env.example')));
      const dotenv = await readDotenv(path.join(dir, '.env'));
      if (dotenv) files.push(workspace.relative(path.join(dir, '.env')));

      const values = new Map<string, string>();
      for (const [key, value] of dotenv ?? []) if (value !== '') values.set(key, value);
      for (const [key, value] of Object.entries(service.env ?? {})) if (value !== '') values.set(key, value);
      own.set(service.name, values);

      const required = new Set<string>(example?.keys() ?? []);
      for (const [key, value] of Object.entries(service.env ?? {})) if (value === '') required.add(key);
      const present = (key: string) => values.has(key) || (inherited[key] !== undefined && inherited[key] !== '');
      const sorted = [...required].sort();
      return { name: service.name, required: sorted, missing: sorted.filter((key) => !present(key)), files };
    }),
  );

  const holders = new Map<string, string[]>();
  // In manifest order, whatever order the files were read in.
  for (const { name } of services) for (const key of own.get(name)?.keys() ?? []) holders.set(key, [...(holders.get(key) ?? []), name]);
  const shared: SharedKeyReport[] = [];
  for (const [key, names] of [...holders].sort(([a], [b]) => a.localeCompare(b))) {
    if (names.length < 2) continue;
    const fingerprints = Object.fromEntries(names.map((name) => [name, fingerprint(own.get(name)?.get(key) as string)]));
    shared.push({ key, services: names, consistent: new Set(Object.values(fingerprints)).size === 1, fingerprints });
  }
  return { services: reports, shared };
}
