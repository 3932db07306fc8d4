import { z } from 'zod';

const severity = z.enum(['error', 'warning', 'info']);

/** The mode's `data`: what `sparc architect --json` prints. Paths are relative to the workspace (`--dir`). */
export const architectDataSchema = z.object({
  modules: z.number().int().nonnegative(),
  /** Edges of the analysed graph (run-time edges, or all with `typeEdges: include`). */
  edges: z.number().int().nonnegative(),
  /** One entry per strongly connected component with a cycle: all its modules, sorted. */
  cycles: z.array(z.array(z.string())),
  /** Short elementary cycles to show, each from its first module (not repeated at the end). */
  cycleExamples: z.array(z.array(z.string())),
  /** Elementary cycles counted; `complete: false` means the count stopped at its limit. */
  cycleCount: z.object({ count: z.number().int().nonnegative(), complete: z.boolean() }),
  /** Modules no other module imports (entry points, scripts, tests, or dead code). */
  orphans: z.array(z.string()),
  components: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['package', 'folder']),
      modules: z.number().int(),
      fanIn: z.number().int(),
      fanOut: z.number().int(),
      instability: z.number(),
      inCycle: z.boolean(),
      dependsOn: z.array(z.object({ name: z.string(), edges: z.number().int() })),
    }),
  ),
  unresolved: z.array(z.object({ from: z.string(), specifier: z.string(), line: z.number().int() })),
  violations: z.array(z.object({ rule: z.string(), severity, from: z.string(), to: z.string(), line: z.number().int(), typeOnly: z.boolean(), comment: z.string().optional() })),
  /** npm packages and Node built-ins imported, with how many imports. */
  external: z.array(z.object({ name: z.string(), imports: z.number().int(), builtin: z.boolean() })),
  typeEdges: z.enum(['include', 'exclude']),
  /** Edges whose every import is type-only (`import type`, or elided by TypeScript). */
  typeOnlyEdges: z.number().int().nonnegative(),
  /** What the other `typeEdges` choice gives, to show what type-only imports change. */
  otherTypeEdges: z.object({ typeEdges: z.enum(['include', 'exclude']), cycles: z.number().int(), modulesInCycles: z.number().int() }),
  workspaces: z.object({ enabled: z.boolean(), packages: z.number().int(), edges: z.number().int() }),
  /** Imports of files that exist but are not analysed (JSON, CSS, excluded or outside `src`). */
  nonModuleImports: z.number().int().nonnegative(),
  parseErrors: z.array(z.object({ file: z.string(), line: z.number().int(), message: z.string() })),
  planned: z.array(
    z.object({
      path: z.string(),
      component: z.string(),
      exists: z.boolean(),
      imports: z.array(z.object({ import: z.string(), resolved: z.string().nullable(), kind: z.enum(['module', 'planned', 'external', 'unresolved']) })),
      createsCycle: z.boolean(),
      cycle: z.array(z.string()).optional(),
      violations: z.array(z.object({ rule: z.string(), severity, to: z.string(), comment: z.string().optional() })),
    }),
  ),
  configProblems: z.array(z.string()),
  stats: z.object({
    files: z.number().int(),
    bytes: z.number().int(),
    cached: z.number().int(),
    parsed: z.number().int(),
    parsedInline: z.number().int(),
    parsedInPool: z.number().int(),
    chunks: z.number().int(),
    oxcFallbacks: z.number().int(),
    /** Files whose imports' resolutions came from the cache (nothing they depend on changed). */
    resolutionsReused: z.number().int(),
    timingsMs: z.object({ discover: z.number(), parse: z.number(), resolve: z.number(), analyse: z.number() }),
  }),
});

export type ArchitectData = z.output<typeof architectDataSchema>;
