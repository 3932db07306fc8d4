import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runMode } from '@sparc/batch-core';
import type { GenerateData } from '../lib/commands/generate-command';
import type { RunData } from '../lib/commands/run-command';
import { tddMode } from '../lib/mode';
import { makeWorkspace, modeContext, REPO_NODE_MODULES, TS_JEST_CONFIG, type TempWorkspace } from './support/workspace';

/** A hand-written Task implementation that follows the naming convention (stands in for `sparc code generate`). */
const IMPLEMENTATION = path.join(__dirname, '..', 'lib', 'generate', '__fixtures__', 'convention-impl', 'src');

const SPEC = {
  name: 'tasks',
  entities: [{ name: 'Task', fields: ['title:string', 'done:boolean', 'priority?:integer', 'tags:string[]', 'dueAt?:date', 'status:enum(open|closed)'] }],
  requirements: [
    {
      id: 'R1',
      text: 'Tasks can be managed',
      entity: 'Task',
      acceptance: ['A task can be created with a title', 'Creating a task with an invalid title is rejected', 'A deleted task can no longer be read', 'Tasks are shown in the weekly email digest'],
    },
    { id: 'R2', text: 'The service is observable', acceptance: ['Every request is logged with its duration'] },
  ],
};

const TSCONFIG = {
  compilerOptions: { target: 'es2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node', 'jest'] },
  include: ['src'],
};

/** Each step starts jest with ts-jest (or tsc) for real: slow on a loaded machine. */
const SLOW = 180_000;

describe('tdd generate from the spec: red before the code exists, green after', () => {
  let fixture: TempWorkspace;

  beforeAll(async () => {
    fixture = await makeWorkspace(
      {
        'package.json': JSON.stringify({ name: 'tasks-app', private: true }),
        'jest.config.js': TS_JEST_CONFIG,
        'tsconfig.json': JSON.stringify(TSCONFIG),
        'sparc.spec.json': JSON.stringify(SPEC),
      },
      { linkNodeModules: true },
    );
  });
  afterAll(() => fixture.cleanup());

  it('shows the diff in a dry run and writes nothing', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<GenerateData>(tddMode, ctx, { from: 'spec', dryRun: true }, { command: 'generate' });
      const data = result.data as GenerateData;
      expect(data.dryRun).toBe(true);
      expect(data.files.map((f) => f.path)).toEqual(['src/task/task.acceptance.test.ts', 'src/requirements.acceptance.test.ts']);
      expect(data.diff).toContain('+++ b/src/task/task.acceptance.test.ts');
      expect(data.diff).toContain("+import { TaskService } from './task.service';");
      expect(await fixture.exists('src/task/task.acceptance.test.ts')).toBe(false);
      expect(await fixture.exists('src/requirements.acceptance.test.ts')).toBe(false);
    } finally {
      await close();
    }
  });

  it('writes tests that fail without the implementation, pass with it, and type-check against it', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const generated = await runMode<GenerateData>(tddMode, ctx, { from: 'spec' }, { command: 'generate' });
      const data = generated.data as GenerateData;
      expect(data.spec).toBe('sparc.spec.json');
      expect(data.files).toEqual([
        // 9 service, 10 HTTP and 3 derived criteria tests; the criterion about the email digest stays a todo.
        { path: 'src/task/task.acceptance.test.ts', kind: 'acceptance', subject: 'Task', tests: 22, todos: 1 },
        { path: 'src/requirements.acceptance.test.ts', kind: 'requirements', subject: 'requirements without an entity', tests: 0, todos: 1 },
      ]);
      const source = await fixture.read('src/task/task.acceptance.test.ts');
      expect(source).toContain("it.todo(\"R1: Tasks are shown in the weekly email digest\")");
      expect(source).toContain('it("R1: A task can be created with a title", createsAndReadsBack);');
      expect(source).toContain('"title":"title-alpha"');

      // Red: the modules the tests import do not exist yet.
      const red = await runMode<RunData>(tddMode, ctx, { suites: ['app=.'] }, { command: 'run' });
      const redSuite = (red.data as RunData).suites[0];
      expect(redSuite.status).toBe('crashed');
      expect(redSuite.passed).toBe(0);
      expect(redSuite.crashedFiles).toEqual([{ file: 'src/task/task.acceptance.test.ts', message: expect.stringContaining('Cannot find module') }]);
      expect(red.status).toBe('failed');

      // Green: with an implementation that follows the convention, every generated test passes.
      await fsp.cp(IMPLEMENTATION, path.join(fixture.root, 'src'), { recursive: true });
      const green = await runMode<RunData>(tddMode, ctx, { suites: ['app=.'] }, { command: 'run' });
      const greenSuite = (green.data as RunData).suites[0];
      expect(greenSuite.failures).toEqual([]);
      expect(greenSuite).toMatchObject({ status: 'passed', passed: 22, failed: 0, todo: 2, files: 2 });
      expect(green.status).toBe('passed');

      // The generated tests compile under strict TypeScript against that implementation.
      const tsc = spawnSync(process.execPath, [path.join(REPO_NODE_MODULES, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: fixture.root, encoding: 'utf8', timeout: 120_000 });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);

      // Generating again overwrites nothing.
      const again = await runMode<GenerateData>(tddMode, ctx, { from: 'spec' }, { command: 'generate' });
      expect((again.data as GenerateData).files).toEqual([]);
      expect((again.data as GenerateData).skipped.map((s) => s.path)).toEqual(['src/task/task.acceptance.test.ts', 'src/requirements.acceptance.test.ts']);
      expect(await fixture.read('src/task/task.acceptance.test.ts')).toBe(source);
    } finally {
      await close();
    }
  }, SLOW);

  it('turns a broken implementation red with assertion failures that name the convention', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      // A service that forgets to validate: the validation tests fail on their expectations.
      const service = path.join(fixture.root, 'src', 'task', 'task.service.ts');
      const original = await fsp.readFile(service, 'utf8');
      await fsp.writeFile(service, original.replace('parse(CreateTaskSchema, input)', '(input as CreateTaskInput)'));
      const result = await runMode<RunData>(tddMode, ctx, { suites: ['app=.'] }, { command: 'run' });
      const suite = (result.data as RunData).suites[0];
      expect(suite.status).toBe('failed');
      expect(suite.failures.map((f) => f.test)).toEqual(
        expect.arrayContaining([
          'TaskService (acceptance) › rejects a field of the wrong type ("title") with a ValidationError and stores nothing',
          'Task HTTP API (acceptance) › POST with a field of the wrong type ("title") answers 400 with the issues',
        ]),
      );
      expect(suite.failures.every((f) => f.file === 'src/task/task.acceptance.test.ts' && typeof f.line === 'number')).toBe(true);
      await fsp.writeFile(service, original);
    } finally {
      await close();
    }
  }, SLOW);

  it('needs a spec when asked to generate from one', async () => {
    const empty = await makeWorkspace({ 'a.ts': 'export const a = 1;\n' });
    const { ctx, close } = modeContext(empty.workspace);
    try {
      const result = await runMode(tddMode, ctx, { from: 'spec' }, { command: 'generate' });
      expect(result.status).toBe('failed');
      expect(result.summary).toMatch(/TDD_NO_SPEC: no spec/);
    } finally {
      await close();
      await empty.cleanup();
    }
  });
});
