import { findSpecFile, type ModeContext, type ServiceSpec } from '@sparc/batch-core';
import * as path from 'node:path';
import { ManifestError } from '../errors';
import { checkServices, loadManifestFile, parseManifest } from '../manifest/manifest';
import { parseStructuredText } from '../structured-text';
import { promises as fsp } from 'node:fs';

export interface ResolvedServices {
  services: ServiceSpec[];
  /** Where they came from, for messages: the manifest file, "spec", or the spec file. */
  source: string;
}

/**
 * The services to check: `--services FILE` when given, else the run's spec, else the `services`
 * of a spec file at the workspace root (so `sparc integration check` works without a pipeline).
 */
export async function resolveServices(ctx: ModeContext, file: string | undefined): Promise<ResolvedServices> {
  if (file !== undefined) return { services: (await loadManifestFile(ctx.workspace, file)).services, source: file };
  if (ctx.spec) return { services: checkServices(ctx.spec.services, 'spec').services, source: 'spec' };
  const specFile = await findSpecFile(ctx.workspace.root);
  if (!specFile) return { services: [], source: 'none' };
  const name = path.basename(specFile);
  let raw: unknown;
  try {
    raw = parseStructuredText(await fsp.readFile(specFile, 'utf8'), specFile);
  } catch (error) {
    throw new ManifestError(`spec ${name} does not parse: ${(error as Error).message}`, [], name);
  }
  // Only the services part matters here; the spec mode checks the rest of the spec.
  const services = (raw as { services?: unknown } | null)?.services ?? [];
  return { services: parseManifest({ services }, name).services, source: name };
}
