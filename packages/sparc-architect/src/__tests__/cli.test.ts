import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeFiles, type TempDir } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the package first (npx tsc -p tsconfig.lib.json)`);
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('sparc-architect (the standalone bin)', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('cli');
    await writeFiles(tmp.dir, {
      'package.json': JSON.stringify({ name: 'app', private: true, workspaces: ['libs/*'] }),
      'libs/util/package.json': JSON.stringify({ name: '@app/util', main: './src/index.ts' }),
      'libs/util/src/index.ts': "import { main } from '../../../src/main';\nexport const util = () => main;\n",
      'src/main.ts': "import { util } from '@app/util';\nexport const main = () => util;\n",
    });
  });
  afterAll(() => tmp.cleanup());

  it('prints the same JSON as `sparc architect --json`: the data at the top level, with the run result', () => {
    const run = cli(['--dir', tmp.dir, '--json', '--format', 'md']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { status: string; modules: number; cycles: string[][]; artifacts: string[]; runId: string };
    expect(out).toMatchObject({ status: 'warning', modules: 2, cycles: [['libs/util/src/index.ts', 'src/main.ts']] });
    expect(existsSync(path.join(tmp.dir, out.artifacts[0]))).toBe(true);
  });

  it('takes --no-<flag> for booleans and positional src folders', () => {
    const run = cli(['src', '--dir', tmp.dir, '--json', '--no-workspaces', '--no-cache', '--format', 'json']);
    const out = JSON.parse(run.stdout) as { modules: number; cycles: string[][]; external: Array<{ name: string }> };
    expect(out.modules).toBe(1);
    expect(out.cycles).toEqual([]);
    expect(out.external.map((e) => e.name)).toEqual(['@app/util']);
  });

  it('exits 2 with a message for unknown flags and bad values, 1 when the run fails', async () => {
    expect(cli(['--dir', tmp.dir, '--frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown option "--frobnicate"') });
    expect(cli(['--dir', tmp.dir, '--component-depth', 'deep'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--component-depth') });
    expect(cli(['--dir', tmp.dir, '--fail-on-cycles', '--format', 'md']).status).toBe(1);
  });

  it('prints a readable summary without --json', () => {
    const run = cli(['--dir', tmp.dir, '--format', 'md']);
    expect(run.stdout).toContain('architect warning: 2 modules');
    expect(run.stdout).toContain('architect.cycle  libs/util/src/index.ts:1');
  });
});
