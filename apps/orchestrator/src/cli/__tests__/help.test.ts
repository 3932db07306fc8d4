import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './run-cli';

const COMMANDS = ['batch', 'perf', 'modes', 'mode', 'help'];

describe('sparc help and usage errors', () => {
  it('lists every command on --help and exits 0', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(run.stderr).toBe('');
  });

  it.each(COMMANDS)('prints the help of "%s" with --help and with "help %s"', (command) => {
    const flag = runCli([command, '--help']);
    expect(flag.status).toBe(0);
    expect(flag.stdout).toContain(`Usage: sparc ${command}`);
    const viaHelp = runCli(['help', command]);
    expect(viaHelp.status).toBe(0);
    expect(viaHelp.stdout).toBe(flag.stdout);
  });

  it('prints help even when the other arguments are wrong', () => {
    const run = runCli(['batch', '--nope', '-h']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: sparc batch');
  });

  it('prints the version from package.json', () => {
    const run = runCli(['--version']);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(run.stdout.trim()).toBe(manifest.version);
  });

  it('rejects an unknown command with exit 2 and suggests the closest one', () => {
    const run = runCli(['bach', 'x.json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('unknown command "bach"');
    expect(run.stderr).toContain('did you mean "batch"');
  });

  it('rejects an unknown flag with exit 2, naming it and the closest known flag', () => {
    const run = runCli(['batch', 'x.json', '--dry-rn']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"--dry-rn"');
    expect(run.stderr).toContain('did you mean "--dry-run"');
  });

  it('rejects a flag without its value and extra arguments', () => {
    const missing = runCli(['batch', 'x.json', '--dir']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('"--dir" needs a value');
    const extra = runCli(['batch', 'a.json', 'b.json']);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "b.json"');
  });

  it('exits 2 with the command list when no command is given', () => {
    const run = runCli([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: sparc COMMAND');
  });

  it('rejects "help" for a command that does not exist', () => {
    const run = runCli(['help', 'perff']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('did you mean "perf"');
  });

  it('answers help and usage errors without loading the engine or zod', () => {
    const mainJs = path.join(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
    const script = `
      const quiet = { write: () => true };
      const runs = [['--help'], ['batch', '--help'], ['mode', '--help'], ['perf', '--help'], ['bogus'], ['batch', 'x', '--nope']];
      (async () => {
        const codes = [];
        for (const argv of runs) codes.push(await require(${JSON.stringify(mainJs)}).main(argv, { stdout: quiet, stderr: quiet }));
        const loaded = Object.keys(require.cache).filter((file) => /batch-core|[\\/]zod[\\/]/.test(file));
        process.stdout.write(JSON.stringify({ codes, loaded }));
      })();`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ codes: [0, 0, 0, 0, 2, 2], loaded: [] });
  });
});
