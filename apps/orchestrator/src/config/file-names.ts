/** Looked for at the workspace root; at most one may exist. Kept free of imports: the CLI reads it before loading anything. */
export const CONFIG_FILE_NAMES = ['sparc.config.js', 'sparc.config.cjs', 'sparc.config.mjs', 'sparc.config.json'] as const;
