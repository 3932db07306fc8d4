import type { FindingSeverity, SparcSpec, Workspace } from '@sparc/batch-core';

export type SpecCheckName = 'completeness' | 'consistency' | 'testability' | 'feasibility';

/** One problem in the spec, at a spec path like `entities[0].fields[2]`. */
export interface SpecIssue {
  check: SpecCheckName;
  severity: FindingSeverity;
  /** Stable id within the check: `requirement-without-acceptance`. */
  id: string;
  path: string;
  message: string;
}

export interface SpecCheckInput {
  spec: SparcSpec;
  workspace: Workspace;
  signal: AbortSignal;
}

export type SpecCheck = (input: SpecCheckInput) => Promise<SpecIssue[]> | SpecIssue[];
