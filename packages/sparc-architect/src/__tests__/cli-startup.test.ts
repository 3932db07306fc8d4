import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeFiles, type TempDir } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const ZOD = /[\\/]node_modules[\\/]zod[\\/]/;
const LEXER = /[\\/]node_modules[\\/]es-module-lexer[\\/]/;
const CACHES = /[\\/]lib[\\/]cache[\\/]/;
const OTHER_WRITERS = /[\\/]lib[\\/]report[\\/](markdown|mermaid|dot)\.js$/;

/** Preloaded into the CLI: writes the files of every module it loaded, when it exits. */
const RECORD_MODULES = `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\\n')));\n`;

/**
 * The standalone CLI keeps zod (and the analysis, for --help) out of its start-up: zod alone costs
 * a short run tens of milliseconds. These runs check what got loaded, not how long it took.
 */
describe('sparc-architect start-up: what it loads', () => {
  let tmp: TempDir;
  let project: string;
  let preload: string;
  let runs = 0;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the package first (npx tsc -p tsconfig.lib.json)`);
    tmp = await tempDir('startup');
    project = path.join(tmp.dir, 'project');
    preload = path.join(tmp.dir, 'record-modules.js');
    await fsp.writeFile(preload, RECORD_MODULES);
    await writeFiles(project, {
      'src/a.ts': "import { b } from './b';\nimport lodash from 'lodash';\nexport const a = () => [b, lodash];\n",
      'src/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      'rules.json': JSON.stringify({ forbidden: [{ name: 'no-lodash', from: 'src/**', to: 'lodash' }] }),
    });
  });
  afterAll(() => tmp.cleanup());

  function cli(args: string[]): { status: number | null; stdout: string; stderr: string; modules: string[] } {
    const record = path.join(tmp.dir, `modules-${runs++}.txt`);
    const run = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOADED_MODULES_FILE: record } });
    if (run.error) throw run.error;
    const modules = existsSync(record) ? readFileSync(record, 'utf8').split('\n') : [];
    expect(modules.length).toBeGreaterThan(1);
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules };
  }

  it('runs the analysis without loading zod', () => {
    const run = cli(['--dir', project, '--json', '--no-cache', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'warning', modules: 2, cycles: [['src/a.ts', 'src/b.ts']] });
    expect(run.modules.some((file) => file.endsWith(path.join('lib', 'architect-run.js')))).toBe(true);
    expect(run.modules.filter((file) => ZOD.test(file))).toEqual([]);
    // TypeScript only: es-module-lexer (JavaScript files) is not loaded either.
    expect(run.modules.filter((file) => LEXER.test(file))).toEqual([]);
    // Without the cache and with JSON only: neither the caches (with their file formats) nor the other formats' writers.
    expect(run.modules.filter((file) => CACHES.test(file) || OTHER_WRITERS.test(file))).toEqual([]);
    expect(run.modules.some((file) => file.endsWith(path.join('report', 'graph-json.js')))).toBe(true);
  });

  it('loads the caches and every format’s writer for a run that uses them', () => {
    const run = cli(['--dir', project, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).artifacts).toHaveLength(5);
    for (const name of ['run-caches.js', 'parse-cache-format.js', 'markdown.js', 'mermaid.js', 'dot.js']) expect(run.modules.filter((file) => file.endsWith(name))).toHaveLength(1);
    expect(run.modules.filter((file) => CACHES.test(file)).length).toBeGreaterThan(5);
  });

  it('prints --help without loading zod or the analysis', () => {
    const run = cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--component-depth <number>');
    expect(run.modules.filter((file) => ZOD.test(file) || file.endsWith('architect-run.js') || file.endsWith('analyze.js'))).toEqual([]);
  });

  it('loads zod for a refused option value, whose message is zod’s', () => {
    const run = cli(['--dir', project, '--component-depth', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('sparc-architect: invalid options: --component-depth: Too small: expected number to be >=1\n');
    expect(run.modules.some((file) => ZOD.test(file))).toBe(true);
  });

  it('loads zod to check a rules file, and applies it', () => {
    const run = cli(['--dir', project, '--json', '--no-cache', '--format', 'json', '--rules', 'rules.json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).violations).toMatchObject([{ rule: 'no-lodash', from: 'src/a.ts', to: 'lodash', severity: 'error' }]);
    expect(run.modules.some((file) => ZOD.test(file))).toBe(true);
  });
});
