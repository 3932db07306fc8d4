/** Name, summary and positional option of the architect mode, shared by `architectMode` and the standalone CLI's zod-free stand-in. */
export const ARCHITECT_MODE_INFO = {
  name: 'architect',
  summary: 'Import graph, cycles, coupling metrics and diagrams',
  positionals: 'src',
} as const;
