import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Reads `module.exports[key]` (or `.default[key]`) of a CommonJS config file and prints it as JSON. */
const PRINT_KEY = `
const file = process.argv[1];
const key = process.argv[2];
const loaded = require(file);
const value = loaded && typeof loaded === 'object' && key in loaded ? loaded[key] : loaded && loaded.default ? loaded.default[key] : undefined;
process.stdout.write(JSON.stringify(value === undefined ? null : value));
`;

/**
 * One key of a CommonJS config (jest.config.js, sparc.config.cjs) as plain data. The file runs in
 * a short-lived child process: config files are code, and loading them here would cache them for
 * the life of the process (a long-running MCP server would never see an edit).
 */
export function readConfigKey(file: string, key: string): unknown {
  const output = execFileSync(process.execPath, ['-e', PRINT_KEY, file, key], { cwd: path.dirname(file), encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(output) as unknown;
}
