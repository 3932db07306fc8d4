import { z } from 'zod';

// The rules file's schema, apart from rules.ts so that zod loads only when there is a rules file.

const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const forbiddenRuleSchema = z
  .object({
    name: z.string().min(1).describe('rule id shown in findings'),
    from: globs.describe('glob(s) of importing modules, relative to the workspace'),
    to: globs.describe('glob(s) of imported modules, or npm package names'),
    severity: z.enum(['error', 'warning', 'info']).default('error'),
    comment: z.string().optional(),
    /** Also check type-only imports. @default false (type-only imports vanish at run time) */
    typeOnly: z.boolean().default(false),
  })
  .strict();

export const rulesFileSchema = z
  .object({
    $schema: z.string().optional(),
    forbidden: z.array(forbiddenRuleSchema).default([]),
  })
  .strict();

export type ForbiddenRule = z.output<typeof forbiddenRuleSchema>;
export type RulesFile = z.output<typeof rulesFileSchema>;
