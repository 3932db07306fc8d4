import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, runCli } from '../cli/__tests__/run-cli';

/** The repository's node_modules: fixture workspaces link to it to reach jest. */
const NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules');

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fsp.writeFile(path.join(root, file), content);
  }
}

describe('sparc tdd (CLI, built bin)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  it('scan --json prints exports and the untested ones, relative to --dir, following a barrel', async () => {
    await writeFiles(ws, {
      'src/shapes.ts': 'export function area(r: number) { return r * r; }\nexport default function perimeter(r: number) { return 2 * r; }\nexport const UNIT = "cm";\n',
      'src/index.ts': "export { area as circleArea, UNIT } from './shapes';\n",
      'test/shapes.test.ts': "import { circleArea } from '../src';\ntest('a', () => expect(circleArea(2)).toBe(4));\n",
    });
    const run = runCli(['tdd', 'scan', '--dir', ws, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const data = JSON.parse(run.stdout) as { exports: number; untested: Array<{ file: string; name: string; line: number }>; status: string };
    expect(data.exports).toBe(3);
    expect(data.untested).toEqual([
      { file: 'src/shapes.ts', name: 'default', line: 2 },
      { file: 'src/shapes.ts', name: 'UNIT', line: 3 },
    ]);
    expect(data.status).toBe('warning');
  });

  it('run --json runs the suites at once and exits 1 when one fails; a crashed suite is named', async () => {
    await fsp.symlink(NODE_MODULES, path.join(ws, 'node_modules'), 'dir');
    await writeFiles(ws, {
      'a/jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
      'a/ok.test.js': "test('ok', () => expect(1 + 1).toBe(2));\ntest.todo('more');\n",
      'b/jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
      'b/bad.test.js': "test('bad', () => {\n  expect('x').toBe('y');\n});\n",
      'c/jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
      'c/syntax.test.js': 'test(\n',
    });
    const run = runCli(['tdd', 'run', '--dir', ws, '--json', '--suites', 'a=a,b=b,c=c']);
    expect(run.status).toBe(1);
    const data = JSON.parse(run.stdout) as {
      suites: Array<{ name: string; status: string; passed: number; failed: number; todo: number; failures: Array<{ file: string; line: number }> }>;
      totals: { passed: number; failed: number; todo: number; crashedSuites: number };
    };
    expect(data.suites.map((s) => [s.name, s.status, s.passed, s.failed, s.todo])).toEqual([
      ['a', 'passed', 1, 0, 1],
      ['b', 'failed', 0, 1, 0],
      ['c', 'crashed', 0, 0, 0],
    ]);
    expect(data.suites[1].failures[0]).toMatchObject({ file: 'b/bad.test.js', line: 2 });
    expect(data.totals).toMatchObject({ passed: 1, failed: 1, todo: 1, crashedSuites: 1 });
  });

  it('generate --dry-run --json shows the diff of the spec acceptance tests and writes nothing', async () => {
    await writeFiles(ws, { 'sparc.spec.json': JSON.stringify({ name: 'shop', entities: [{ name: 'OrderLine', fields: ['sku:string', 'quantity:integer'] }] }) });
    const run = runCli(['tdd', 'generate', '--from', 'spec', '--dry-run', '--dir', ws, '--json']);
    expect(run.status).toBe(0);
    const data = JSON.parse(run.stdout) as { files: Array<{ path: string; tests: number }>; diff: string; dryRun: boolean };
    expect(data.dryRun).toBe(true);
    expect(data.files.map((f) => f.path)).toEqual(['src/order-line/order-line.acceptance.test.ts']);
    expect(data.diff).toContain("+import { OrderLineService } from './order-line.service';");
    expect(data.diff).toContain("+    const res = await request('POST', \"/order-lines\", sample());");
    expect(await fsp.readdir(ws)).toEqual(['sparc.spec.json']);
  });
});
