import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runCli } from './run-cli';

const BUILT_MAIN = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');

describe('sparc mcp (command line)', () => {
  it('prints its help with the tools and the --allow-exec option', () => {
    const run = runCli(['mcp', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: sparc mcp');
    for (const tool of ['batch_execute', 'project_init_batch', 'batch_performance', 'sparc_list_modes', 'sparc_run_mode', 'sparc_run_pipeline']) expect(run.stdout).toContain(tool);
    expect(run.stdout).toContain('--allow-exec CMD,...');
  });

  it('refuses a --dir that is not a folder, an empty --allow-exec and arguments, with exit 2', () => {
    const missing = runCli(['mcp', '--dir', '/no/such/folder']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--dir "/no/such/folder" is not a directory');
    expect(missing.stdout).toBe('');
    const empty = runCli(['mcp', '--allow-exec', ',']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('--allow-exec needs at least one command');
    const extra = runCli(['mcp', 'serve']);
    expect(extra.status).toBe(2);
  });

  it('does not load the MCP SDK, the engine or zod for sparc --help', () => {
    const script = `
      const { main } = require(${JSON.stringify(BUILT_MAIN)});
      main(['--help'], { stdout: { write() {} } }).then((code) => {
        const loaded = Object.keys(require.cache).filter((f) => /@modelcontextprotocol|batch-core|[\\\\/]zod[\\\\/]/.test(f));
        process.stdout.write(JSON.stringify({ code, loaded }));
      });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ code: 0, loaded: [] });
  });
});
