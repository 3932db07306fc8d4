import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { MODE_RULES, parseSpec } from '@sparc/batch-core';
import { architectDataSchema } from '../lib/data';
import { ARCHITECT_RULES } from '../lib/findings';
import { dataOf, runArchitect, tempDir, writeFiles, type TempDir } from './helpers';

const CYCLES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }),
  // A 3-cycle: a -> b -> c -> a
  'src/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
  'src/b.ts': "// b\nimport { c } from './c';\nexport const b = () => c();\n",
  'src/c.ts': "import { a } from './a';\nexport const c = () => a();\n",
  // A module that imports itself
  'src/self.ts': "import * as self from './self';\nexport const me = () => self;\n",
  // A cycle made only of type-only imports: gone at run time
  'src/types/t1.ts': "import type { T2 } from './t2';\nexport interface T1 { other: T2 }\n",
  'src/types/t2.ts': "import { T1 } from './t1';\nexport interface T2 { other: T1 }\n",
  'src/main.ts': "import { a } from './a';\nimport { me } from './self';\nexport default [a, me];\n",
};

describe('architect mode: cycles', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('cycles');
    await writeFiles(tmp.dir, CYCLES);
  });
  afterAll(() => tmp.cleanup());

  it('reports one cycle per strongly connected component, a self-import, and examples, with paths relative to --dir', async () => {
    const result = await runArchitect(tmp.dir, { cache: false });
    const data = dataOf(result);
    expect(architectDataSchema.safeParse(data).success).toBe(true);
    expect(data.modules).toBe(7);
    expect(data.cycles).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts'], ['src/self.ts']]);
    expect(data.cycleExamples).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts'], ['src/self.ts']]);
    expect(data.cycleCount).toEqual({ count: 2, complete: true });
    expect(result.status).toBe('warning');
  });

  it('gives each cycle a finding at the import that starts it (file and line)', async () => {
    const result = await runArchitect(tmp.dir, { cache: false, format: [] });
    const cycles = result.findings.filter((f) => f.rule === ARCHITECT_RULES.cycle);
    expect(cycles).toEqual([
      { severity: 'warning', rule: ARCHITECT_RULES.cycle, message: 'import cycle of 3 modules: src/a.ts -> src/b.ts -> src/c.ts -> src/a.ts', file: 'src/a.ts', line: 1 },
      { severity: 'warning', rule: ARCHITECT_RULES.cycle, message: 'import cycle of 1 module: src/self.ts -> src/self.ts', file: 'src/self.ts', line: 1 },
    ]);
  });

  it('leaves type-only cycles out by default and counts them with --type-edges include', async () => {
    const excluded = dataOf(await runArchitect(tmp.dir, { cache: false, format: [] }));
    expect(excluded.typeOnlyEdges).toBe(2);
    expect(excluded.otherTypeEdges).toEqual({ typeEdges: 'include', cycles: 3, modulesInCycles: 6 });
    const included = dataOf(await runArchitect(tmp.dir, { cache: false, format: [], typeEdges: 'include' }));
    expect(included.cycles).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts'], ['src/types/t1.ts', 'src/types/t2.ts'], ['src/self.ts']]);
  });

  it('fails the run with --fail-on-cycles', async () => {
    const result = await runArchitect(tmp.dir, { cache: false, format: [], failOnCycles: true });
    expect(result.status).toBe('failed');
    expect(result.findings.filter((f) => f.severity === 'error')).toHaveLength(2);
  });

  it('writes the Markdown report, Mermaid diagrams, DOT and JSON under .sparc/reports/<run-id>/architect/', async () => {
    const result = await runArchitect(tmp.dir, { cache: false });
    expect(result.artifacts.map((a) => path.basename(a)).sort()).toEqual(['components.mmd', 'cycle.mmd', 'graph.json', 'modules.dot', 'report.md']);
    for (const artifact of result.artifacts) expect(artifact).toMatch(/^\.sparc\/reports\/[^/]+\/architect\//);
    const read = (name: string) => fsp.readFile(path.join(tmp.dir, result.artifacts.find((a) => a.endsWith(name)) as string), 'utf8');
    const report = await read('report.md');
    expect(report).toContain('- `src/a.ts`:1 imports `src/b.ts`');
    expect(report).toContain('Type-only imports are left out');
    expect(await read('cycle.mmd')).toBe('graph LR\n  m0["src/a.ts"]\n  m1["src/b.ts"]\n  m2["src/c.ts"]\n  m0 --> m1\n  m1 --> m2\n  m2 --> m0\n');
    // Both cycles stay inside the `src` component, so no component is in a cycle with another.
    expect(await read('components.mmd')).toBe('graph LR\n  c0["src (5)"]\n  c1["src/types (2)"]\n');
    const dot = await read('modules.dot');
    expect(dot).toContain('"src/a.ts" -> "src/b.ts" [color="#c0392b"];');
    const json = JSON.parse(await read('graph.json')) as { cycles: string[][]; graph: { modules: string[]; edges: number[][] } };
    expect(json.cycles).toEqual(dataOf(result).cycles);
    expect(json.graph.modules).toHaveLength(7);
  });
});

describe('architect mode: rules, files that do not parse, planned modules', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('rules');
    await writeFiles(tmp.dir, {
      'src/server/db.ts': 'export const db = {};\n',
      'src/ui/view.ts': "import { render } from './render';\n\nimport { db } from '../server/db';\nexport const view = () => render(db);\n",
      'src/ui/render.ts': "import type { db } from '../server/db';\nexport const render = (x: typeof db) => x;\n",
      'src/broken.ts': "import { db } from './server/db';\nexport function broken() {\n  return db;\n",
      'src/db/index.ts': "import { pool } from './pool';\nexport const query = () => pool;\n",
      'src/db/pool.ts': 'export const pool = 1;\n',
      'rules.json': JSON.stringify({ forbidden: [{ name: 'ui-not-server', from: 'src/ui/**', to: 'src/server/**', severity: 'error', comment: 'the UI talks to the API' }] }),
      'bad-rules.json': JSON.stringify({ forbidden: [{ name: 'x', from: 'a/**' }] }),
    });
  });
  afterAll(() => tmp.cleanup());

  it('reports a rule violation with the file and line of the import (type-only imports are not checked)', async () => {
    const result = await runArchitect(tmp.dir, { cache: false, format: [], rules: 'rules.json' });
    const data = dataOf(result);
    expect(data.violations).toEqual([{ rule: 'ui-not-server', severity: 'error', from: 'src/ui/view.ts', to: 'src/server/db.ts', line: 3, typeOnly: false, comment: 'the UI talks to the API' }]);
    expect(result.findings.filter((f) => f.rule.startsWith(ARCHITECT_RULES.forbidden))).toEqual([
      { severity: 'error', rule: `${ARCHITECT_RULES.forbidden}.ui-not-server`, message: 'src/ui/view.ts must not import src/server/db.ts (rule "ui-not-server"): the UI talks to the API', file: 'src/ui/view.ts', line: 3 },
    ]);
    expect(result.status).toBe('failed');
  });

  it('reports a file that does not parse as a finding with its path, and analyses the rest', async () => {
    for (const parser of ['auto', 'oxc']) {
      const result = await runArchitect(tmp.dir, { cache: false, format: [], parser });
      const data = dataOf(result);
      expect(data.parseErrors.map((e) => e.file)).toEqual(['src/broken.ts']);
      expect(result.findings.filter((f) => f.rule === ARCHITECT_RULES.parseError).map((f) => f.file)).toEqual(['src/broken.ts']);
      expect(data.modules).toBe(6);
      // view -> render, view -> server/db, db/index -> db/pool (render's import is type-only).
      expect(data.edges).toBe(3);
    }
  });

  it('names the field of a bad rules file', async () => {
    const result = await runArchitect(tmp.dir, { cache: false, format: [], rules: 'bad-rules.json' });
    expect(result.status).toBe('failed');
    expect(result.findings[0].rule).toBe(MODE_RULES.error);
    expect(result.summary).toContain('forbidden.0.to');
  });

  it('places the modules a spec plans and says which planned imports would close a cycle or break a rule', async () => {
    const spec = parseSpec({
      name: 'shop',
      targets: {
        modules: [
          { path: 'src/billing/invoice.ts', imports: ['src/db/index.ts'] },
          { path: 'src/db/pool.ts', imports: ['src/billing/invoice.ts'] },
          { path: 'src/ui/widget.ts', imports: ['src/server/db.ts', 'react'] },
        ],
      },
    });
    const result = await runArchitect(tmp.dir, { cache: false, format: ['md'], rules: 'rules.json' }, { spec });
    const planned = dataOf(result).planned;
    expect(planned).toEqual([
      { path: 'src/billing/invoice.ts', component: 'src/billing', exists: false, imports: [{ import: 'src/db/index.ts', resolved: 'src/db/index.ts', kind: 'module' }], createsCycle: true, cycle: ['src/billing/invoice.ts', 'src/db/index.ts', 'src/db/pool.ts'], violations: [] },
      { path: 'src/db/pool.ts', component: 'src/db', exists: true, imports: [{ import: 'src/billing/invoice.ts', resolved: 'src/billing/invoice.ts', kind: 'planned' }], createsCycle: true, cycle: ['src/db/pool.ts', 'src/billing/invoice.ts', 'src/db/index.ts'], violations: [] },
      {
        path: 'src/ui/widget.ts',
        component: 'src/ui',
        exists: false,
        imports: [
          { import: 'src/server/db.ts', resolved: 'src/server/db.ts', kind: 'module' },
          { import: 'react', resolved: 'react', kind: 'external' },
        ],
        createsCycle: false,
        violations: [{ rule: 'ui-not-server', severity: 'error', to: 'src/server/db.ts', comment: 'the UI talks to the API' }],
      },
    ]);
    expect(result.findings.filter((f) => f.rule === ARCHITECT_RULES.plannedCycle).map((f) => f.file)).toEqual(['src/billing/invoice.ts', 'src/db/pool.ts']);
    expect(result.findings.some((f) => f.rule === `${ARCHITECT_RULES.plannedForbidden}.ui-not-server` && f.file === 'src/ui/widget.ts')).toBe(true);
    const report = await fsp.readFile(path.join(tmp.dir, result.artifacts[0]), 'utf8');
    expect(report).toContain('## Planned modules (from the spec)');
  });

  it('refuses a --tsconfig that does not exist, naming it', async () => {
    const result = await runArchitect(tmp.dir, { tsconfig: 'nope.json' });
    expect(result.status).toBe('failed');
    expect(result.summary).toContain('nope.json');
  });
});
