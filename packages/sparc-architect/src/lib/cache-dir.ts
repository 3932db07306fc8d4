/** Where a run keeps its caches, under the workspace root. Its own module, so naming it loads no cache code. */
export const CACHE_DIR = '.sparc/cache/architect';
