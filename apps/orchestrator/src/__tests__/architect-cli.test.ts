import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, runCli } from '../cli/__tests__/run-cli';

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fsp.writeFile(path.join(root, file), content);
  }
}

/** A two-package workspace whose packages import each other through their build output. */
const WORKSPACE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
  'packages/api/package.json': JSON.stringify({ name: '@w/api', main: './dist/index.js' }),
  'packages/api/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
  'packages/api/src/index.ts': "import { view } from '@w/web/dist/view';\nexport const api = () => view;\n",
  'packages/web/package.json': JSON.stringify({ name: '@w/web', main: './dist/index.js' }),
  'packages/web/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
  'packages/web/src/view.ts': "import { api } from '@w/api';\nimport type { Missing } from './missing';\nexport const view = (m?: Missing) => api ?? m;\n",
  'src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
  'src/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  'rules.json': JSON.stringify({ forbidden: [{ name: 'web-not-api', from: 'packages/web/**', to: 'packages/api/**', severity: 'error' }] }),
};

interface ArchitectJson {
  status: string;
  modules: number;
  edges: number;
  cycles: string[][];
  cycleExamples: string[][];
  orphans: string[];
  components: Array<{ name: string; kind: string }>;
  unresolved: Array<{ from: string; specifier: string; line: number }>;
  violations: Array<{ rule: string; from: string; to: string; line: number }>;
  findings: Array<{ rule: string; file?: string; line?: number }>;
  artifacts: string[];
  workspaces: { enabled: boolean; packages: number; edges: number };
  stats: { cached: number; parsed: number };
}

describe('sparc architect (CLI, built bin)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ ws, cleanup } = await makeWorkspace());
    await writeFiles(ws, WORKSPACE);
  });
  afterAll(() => cleanup());

  it('--json prints the graph contract with paths relative to --dir', () => {
    const run = runCli(['architect', '--dir', ws, '--json', '--format', 'md,mermaid']);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as ArchitectJson;
    expect(out.modules).toBe(4);
    expect(out.edges).toBe(4);
    expect(out.cycles).toEqual([
      ['packages/api/src/index.ts', 'packages/web/src/view.ts'],
      ['src/a.ts', 'src/b.ts'],
    ]);
    expect(out.cycleExamples).toEqual([
      ['packages/api/src/index.ts', 'packages/web/src/view.ts'],
      ['src/a.ts', 'src/b.ts'],
    ]);
    expect(out.orphans).toEqual([]);
    expect(out.components.map((c) => `${c.name}:${c.kind}`)).toEqual(['@w/api:package', '@w/web:package', 'src:folder']);
    expect(out.unresolved).toEqual([{ from: 'packages/web/src/view.ts', specifier: './missing', line: 2 }]);
    expect(out.workspaces).toEqual({ enabled: true, packages: 2, edges: 2 });
    expect(out.findings.filter((f) => f.rule === 'architect.cycle').map((f) => `${f.file}:${f.line}`)).toEqual(['packages/api/src/index.ts:1', 'src/a.ts:1']);
    expect(out.artifacts.map((a) => path.basename(a)).sort()).toEqual(['components.mmd', 'cycle.mmd', 'report.md']);
    for (const artifact of out.artifacts) expect(existsSync(path.join(ws, artifact))).toBe(true);
    // Cycles are warnings unless --fail-on-cycles.
    expect(run.status).toBe(0);
  });

  it('--no-workspaces and --no-cache: cross-package imports stay external, every file is parsed', () => {
    runCli(['mode', 'architect', '--dir', ws, '--json', '--format', 'json']);
    const run = runCli(['mode', 'architect', '--dir', ws, '--json', '--no-workspaces', '--no-cache', '--format', 'json']);
    const out = JSON.parse(run.stdout) as { data: ArchitectJson };
    expect(out.data.workspaces).toEqual({ enabled: false, packages: 0, edges: 0 });
    expect(out.data.cycles).toEqual([['src/a.ts', 'src/b.ts']]);
    expect(out.data.stats).toMatchObject({ cached: 0, parsed: 4 });
  });

  it('a rule violation fails the run (exit 1) and names the file and line', () => {
    const run = runCli(['architect', '--dir', ws, '--json', '--rules', 'rules.json', '--format', 'md']);
    const out = JSON.parse(run.stdout) as ArchitectJson;
    expect(out.violations).toEqual([expect.objectContaining({ rule: 'web-not-api', from: 'packages/web/src/view.ts', to: 'packages/api/src/index.ts', line: 1 })]);
    expect(out.status).toBe('failed');
    expect(run.status).toBe(1);
  });

  it('positional src folders and --type-edges, with usage errors for bad values', () => {
    const run = runCli(['architect', 'src', '--dir', ws, '--json', '--type-edges', 'include', '--format', 'md']);
    const out = JSON.parse(run.stdout) as ArchitectJson;
    expect(out.modules).toBe(2);
    const bad = runCli(['architect', '--dir', ws, '--type-edges', 'sometimes']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--type-edges');
  });
});
