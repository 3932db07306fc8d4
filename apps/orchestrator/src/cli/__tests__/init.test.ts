import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, runCli } from './run-cli';

/** The monorepo's node_modules: the generated workspace borrows it (it has no `npm install` of its own here). */
const REPO_NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'node_modules');

function runNode(args: string[], cwd: string): { status: number | null; output: string } {
  const child = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true', JEST_WORKER_ID: '' } });
  if (child.error) throw child.error;
  return { status: child.status, output: `${child.stdout}\n${child.stderr}` };
}

describe('sparc init', () => {
  let root: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ root, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  it('creates a workspace whose own test suite passes and whose TypeScript compiles', async () => {
    const target = path.join(root, 'todo-api');
    const run = runCli(['init', 'todo-api', '--dir', target, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { root: string; files: string[]; batch: { committed: boolean } };
    expect(result.root).toBe(target);
    expect(result.batch.committed).toBe(true);
    expect(result.files).toEqual(expect.arrayContaining(['package.json', 'tsconfig.json', 'src/slugify.ts', 'src/slugify.test.ts', 'sparc.spec.json', 'sparc.config.json', 'sparc.swarm.json']));

    // A symlink to the monorepo's node_modules stands in for `npm install`.
    expect(existsSync(path.join(REPO_NODE_MODULES, 'jest', 'bin', 'jest.js'))).toBe(true);
    await fsp.symlink(REPO_NODE_MODULES, path.join(target, 'node_modules'), 'dir');

    const report = path.join(root, 'jest-report.json');
    const jest = runNode([path.join(target, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', '--outputFile', report], target);
    expect(jest.output).toContain('slugify');
    expect(jest.status).toBe(0);
    const summary = JSON.parse(await fsp.readFile(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: Array<{ name: string }> };
    expect(summary).toMatchObject({ numPassedTests: 3, numFailedTests: 0 });
    expect(summary.testResults.map((t) => path.relative(target, t.name))).toEqual([path.join('src', 'slugify.test.ts')]);

    const tsc = runNode([path.join(target, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'], target);
    expect(tsc.output.trim()).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('defaults to ./NAME and prints what it wrote', async () => {
    const run = runCli(['init', 'notes'], { cwd: root });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`created notes in ${path.join(root, 'notes')}`);
    expect(run.stdout).toContain('  sparc.spec.json');
    expect(existsSync(path.join(root, 'notes', 'package.json'))).toBe(true);
  });

  it('refuses a folder that is not empty (exit 2) and touches nothing', async () => {
    const target = path.join(root, 'busy');
    await fsp.mkdir(target);
    await fsp.writeFile(path.join(target, 'package.json'), '{"name":"mine"}');
    const run = runCli(['init', 'busy', '--dir', target]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is not empty (package.json)');
    expect(run.stdout).toBe('');
    expect(await fsp.readdir(target)).toEqual(['package.json']);
    expect(await fsp.readFile(path.join(target, 'package.json'), 'utf8')).toBe('{"name":"mine"}');
  });

  it('refuses a NAME that is not a package name, and a missing NAME', () => {
    const bad = runCli(['init', 'My App'], { cwd: root });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('project name "My App" must be lower-case');
    expect(existsSync(path.join(root, 'My App'))).toBe(false);
    const missing = runCli(['init'], { cwd: root });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('needs a project NAME');
  });
});
