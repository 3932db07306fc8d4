import { z } from 'zod';

const paths = z.array(z.string());

/** Keys every command's data has: what was (or, in a dry run, would be) written. */
const fileLists = {
  dryRun: z.boolean(),
  /** Whether anything reached the disk. */
  committed: z.boolean(),
  created: paths,
  updated: paths,
  unchanged: paths,
  skipped: paths,
  /** The unified diff of every change: set in a dry run. */
  diff: z.string().optional(),
};

export const generateData = z.object({
  generator: z.string(),
  entities: z.array(z.string()),
  ...fileLists,
  conflicts: paths,
  files: z.array(z.object({ path: z.string(), action: z.enum(['create', 'update', 'unchanged', 'skip', 'conflict']), reason: z.string().optional() })),
  format: z.object({ prettier: z.string().nullable(), formatted: z.number().int(), failures: z.array(z.object({ path: z.string(), message: z.string() })) }),
  notes: z.array(z.string()),
});

export const modifyData = z.object({
  glob: z.string(),
  ...fileLists,
  matched: z.number().int(),
  replacements: z.number().int(),
  expect: z.number().int().optional(),
  changes: z.array(z.object({ path: z.string(), replacements: z.number().int() })),
});

export const transformData = z.object({
  transform: z.string(),
  glob: z.string(),
  ...fileLists,
  matched: z.number().int(),
  failures: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const listData = z.object({
  generators: z.array(z.object({ name: z.string(), kind: z.enum(['builtin', 'template']), description: z.string() })),
});

export const rootData = z.union([generateData, listData]);

export type GenerateData = z.output<typeof generateData>;
export type ModifyData = z.output<typeof modifyData>;
export type TransformData = z.output<typeof transformData>;
export type ListData = z.output<typeof listData>;
