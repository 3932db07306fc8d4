import * as os from 'node:os';
import { z } from 'zod';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_TEST_PATTERNS } from '../scan/patterns';

/** What the scan reads; shared by `scan` and `generate`. */
export const scanOptionsShape = {
  src: z.string().min(1).default('.').describe('Folder to scan, relative to the workspace'),
  include: z.array(z.string().min(1)).min(1).default(DEFAULT_INCLUDE).describe('Globs of the code files to read'),
  exclude: z.array(z.string().min(1)).default(DEFAULT_EXCLUDE).describe('Globs never read (dependencies, build output, declarations, fixtures, configs)'),
  tests: z.array(z.string().min(1)).min(1).default(DEFAULT_TEST_PATTERNS).describe('Globs of test files'),
};

/** How suites are chosen and run; shared by `run` and `coverage --run`. */
export const suiteOptionsShape = {
  suites: z.array(z.string().min(1)).default([]).describe('Suites as name=folder|jest-config|command (default: tdd.suites of sparc.config, else discovered)'),
  only: z.array(z.string().min(1)).default([]).describe('Run only these suites, by name'),
  concurrency: z.number().int().min(1).max(64).default(os.availableParallelism()).describe('Suites run at once; each jest gets cores / this many workers'),
  timeoutMs: z.number().int().positive().default(600_000).describe('Time limit per suite; a suite over it is killed and reported as crashed'),
};
