import type { Workspace } from '@sparc/batch-core';
import { TddError } from '../errors';
import { discoverSuites } from '../run/discover';
import type { Suite } from '../run/suites';

/** The suites to run, `only` applied; unknown names in `only` are an error that lists the known ones. */
export async function selectSuites(workspace: Workspace, options: { suites: string[]; only: string[] }): Promise<{ suites: Suite[]; from: string }> {
  const discovered = await discoverSuites(workspace, options.suites);
  if (options.only.length === 0) return discovered;
  const known = discovered.suites.map((s) => s.name);
  const unknown = options.only.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new TddError('TDD_UNKNOWN_SUITE', `--only: unknown suite(s) ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return { suites: discovered.suites.filter((s) => options.only.includes(s.name)), from: discovered.from };
}
