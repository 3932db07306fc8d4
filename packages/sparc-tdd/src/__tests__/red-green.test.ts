import { runMode } from '@sparc/batch-core';
import type { RedGreenData } from '../lib/commands/red-green-command';
import { tddMode } from '../lib/mode';
import { JS_JEST_CONFIG, makeWorkspace, modeContext, type TempWorkspace } from './support/workspace';

const TEST = "const { sum } = require('./sum');\ntest('sums', () => {\n  expect(sum(2, 3)).toBe(5);\n});\n";
/** Writes the real implementation: what a developer (or `sparc code`) would do between red and green. */
const IMPLEMENT = `node -e "require('fs').writeFileSync('lib/sum.js', 'exports.sum = (a, b) => a + b;\\\\n')"`;

describe('tdd red-green', () => {
  let fixture: TempWorkspace;

  beforeEach(async () => {
    fixture = await makeWorkspace(
      {
        'package.json': JSON.stringify({ name: 'rg', private: true }),
        'jest.config.js': JS_JEST_CONFIG,
        'lib/sum.test.js': TEST,
        // A stub that loads but returns the wrong answer: the test fails on its assertion.
        'lib/sum.js': 'exports.sum = () => 0;\n',
      },
      { linkNodeModules: true },
    );
  });
  afterEach(() => fixture.cleanup());

  it('goes red on an assertion, runs the implementation, then goes green', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<RedGreenData>(tddMode, ctx, { test: 'lib/sum.test.js', implement: IMPLEMENT }, { command: 'red-green' });
      const data = result.data as RedGreenData;
      expect(data.verdict).toBe('red-green');
      expect(data.red).toMatchObject({ status: 'failed', failed: 1, passed: 0, assertionFailures: 1 });
      expect(data.red.failures[0]).toMatchObject({ file: 'lib/sum.test.js', line: 3, assertion: true });
      expect(data.implement).toMatchObject({ exitCode: 0 });
      expect(data.green).toMatchObject({ status: 'passed', passed: 1, failed: 0 });
      expect(result.status).toBe('passed');
      expect(await fixture.read('lib/sum.js')).toBe('exports.sum = (a, b) => a + b;\n');
    } finally {
      await close();
    }
  });

  it('does not count an import error as red, and never runs the implementation', async () => {
    await fixture.workspace.deletePath('lib/sum.js');
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<RedGreenData>(tddMode, ctx, { test: 'lib/sum.test.js', implement: IMPLEMENT }, { command: 'red-green' });
      const data = result.data as RedGreenData;
      expect(data.verdict).toBe('not-red');
      expect(data.reason).toMatch(/did not run .*Cannot find module '\.\/sum'/);
      expect(data.implement).toBeUndefined();
      expect(await fixture.exists('lib/sum.js')).toBe(false);
      expect(result.status).toBe('failed');
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'tdd.red-green.not-red', file: 'lib/sum.test.js' })]);
    } finally {
      await close();
    }
  });

  it('does not count a thrown error as red', async () => {
    await fixture.write('lib/sum.js', 'exports.sum = undefined;\n');
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode<RedGreenData>(tddMode, ctx, { test: 'lib/sum.test.js', implement: IMPLEMENT }, { command: 'red-green' });
      expect(result.data).toMatchObject({ verdict: 'not-red', red: { failed: 1, assertionFailures: 0 } });
      expect((result.data as RedGreenData).reason).toMatch(/not assertion failures: TypeError/);
    } finally {
      await close();
    }
  });

  it('reports a test that is already green, and an implementation that does not make it pass', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const notGreen = await runMode<RedGreenData>(tddMode, ctx, { test: 'lib/sum.test.js', implement: 'node -e "0"' }, { command: 'red-green' });
      expect(notGreen.data).toMatchObject({ verdict: 'not-green', implement: { exitCode: 0 }, green: { status: 'failed', failed: 1 } });

      const failing = await runMode<RedGreenData>(tddMode, ctx, { test: 'lib/sum.test.js', implement: 'node -e "process.exit(3)"' }, { command: 'red-green' });
      expect(failing.data).toMatchObject({ verdict: 'implement-failed', implement: { exitCode: 3 } });

      await fixture.write('lib/sum.js', 'exports.sum = (a, b) => a + b;\n');
      const green = await runMode<RedGreenData>(tddMode, ctx, { test: 'lib/sum.test.js', implement: IMPLEMENT }, { command: 'red-green' });
      expect(green.data).toMatchObject({ verdict: 'already-green', red: { passed: 1 } });
      expect((green.data as RedGreenData).implement).toBeUndefined();
    } finally {
      await close();
    }
  }, 120_000);

  it('refuses a test file that does not exist', async () => {
    const { ctx, close } = modeContext(fixture.workspace);
    try {
      const result = await runMode(tddMode, ctx, { test: 'lib/nope.test.js', implement: IMPLEMENT }, { command: 'red-green' });
      expect(result.status).toBe('failed');
      expect(result.summary).toMatch(/TDD_TEST_NOT_FOUND: test file lib\/nope.test.js does not exist/);
    } finally {
      await close();
    }
  });
});
