/** Which files the scan reads, and which of them are tests. */

/** Code files the scan parses. */
// Extglobs, not braces: the CLI splits list options at commas.
export const DEFAULT_INCLUDE = ['**/*.@(ts|tsx|mts|cts|js|jsx|mjs|cjs)'];

/** Never source modules of the project: dependencies, build output, type declarations, fixtures, config files. */
export const DEFAULT_EXCLUDE = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/coverage/**',
  '**/.sparc/**',
  '**/.nx/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/__fixtures__/**',
  '**/__mocks__/**',
  '**/*.config.@(js|cjs|mjs|ts|mts|cts)',
];

/** Test files, as jest and most runners find them. */
export const DEFAULT_TEST_PATTERNS = ['**/*.test.*', '**/*.spec.*', '**/__tests__/**'];
