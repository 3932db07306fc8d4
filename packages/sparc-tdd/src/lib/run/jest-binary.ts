import * as path from 'node:path';

/**
 * The jest CLI script the suite's own folder would run (its node_modules, then the workspace
 * root's), so every suite uses the jest its project installed. Undefined when there is none.
 */
export function resolveJest(root: string, cwd: string): string | undefined {
  const paths = [path.join(root, cwd), root];
  try {
    return require.resolve('jest/bin/jest', { paths });
  } catch {
    return undefined;
  }
}
