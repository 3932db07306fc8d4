import { z } from 'zod';

/** Artifact formats the mode can write under `.sparc/reports/<run-id>/architect/`. */
export const REPORT_FORMATS = ['md', 'mermaid', 'dot', 'json'] as const;

/**
 * Options of `sparc architect` (one schema for CLI flags, MCP input and config files).
 * Paths are relative to the workspace (`--dir`).
 */
export const architectOptionsSchema = z
  .object({
    /**
     * Folders (or files) to analyse.
     * @default ['.']
     */
    src: z.array(z.string().min(1)).default(['.']).describe('folders to analyse, relative to --dir'),
    /** Globs a file must match. @default [] (every JS/TS source file) */
    include: z.array(z.string().min(1)).default([]).describe('globs a file must match, relative to --dir'),
    /** Globs of files to leave out (node_modules, build output and .gitignore'd paths always are). @default [] */
    exclude: z.array(z.string().min(1)).default([]).describe('globs of files to leave out, relative to --dir'),
    /** A tsconfig used for every file. @default each file's nearest tsconfig.json */
    tsconfig: z.string().min(1).optional().describe("tsconfig for every file (default: each file's nearest tsconfig.json)"),
    /**
     * Whether type-only imports are edges. They are dropped when TypeScript compiles, so they
     * cannot make a cycle at run time.
     * @default 'exclude'
     */
    typeEdges: z.enum(['exclude', 'include']).default('exclude').describe('count type-only imports (import type, imports used only as types) as edges'),
    /** Map imports of workspace packages (npm/yarn/pnpm) to their sources. @default true */
    workspaces: z.boolean().default(true).describe('resolve imports of workspace packages to their sources'),
    /** Reuse parse results from .sparc/cache/architect/. @default true */
    cache: z.boolean().default(true).describe('reuse per-file parse results (keyed by content hash)'),
    /** Artifacts to write. @default ['md', 'mermaid', 'dot', 'json'] */
    format: z.array(z.enum(REPORT_FORMATS)).default([...REPORT_FORMATS]).describe('artifacts to write'),
    /** Folder depth of a component for modules outside workspace packages. @default 2 */
    componentDepth: z.number().int().min(1).max(32).default(2).describe('folder depth of a component (outside workspace packages)'),
    /** A JSON rules file: `{ "forbidden": [{ "name", "from", "to", "severity" }] }`. */
    rules: z.string().min(1).optional().describe('JSON file of forbidden dependencies: { "forbidden": [{ name, from, to, severity }] }'),
    /** Report cycles as errors (the run fails), not warnings. @default false */
    failOnCycles: z.boolean().default(false).describe('report import cycles as errors'),
    /** The scanner with oxc-parser as fallback, or oxc-parser for every file. @default 'auto' */
    parser: z.enum(['auto', 'oxc']).default('auto').describe('auto: fast scanner, oxc-parser for what it cannot follow; oxc: oxc-parser for every file'),
    /** Honour .gitignore files. @default true */
    gitignore: z.boolean().default(true).describe('skip paths .gitignore files ignore'),
  })
  .strict();

export type ArchitectOptions = z.output<typeof architectOptionsSchema>;
